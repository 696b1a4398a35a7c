/** Languages: the exam is taken in Kazakh or Russian at the candidate's choice (rule 9); English only for reviewers' convenience. */
export const LANGUAGES = ['kk', 'ru'] as const;
export type ExamLanguage = (typeof LANGUAGES)[number];
export const UI_LANGUAGES = ['kk', 'ru', 'en'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
