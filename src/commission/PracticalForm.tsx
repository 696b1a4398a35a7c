/** The practical assessment against the technological map (rule 16): each item passed or not, with a comment, and the decision. */
import { useState } from 'react';
import { checkPractical } from '../shared/procedure';
import type { ProcedureDetail } from '../shared/procedure-api';
import { useT, useUiLanguage } from '../ui/i18n/i18n';
import { refusalText } from './refusal-text';

export function PracticalForm(props: {
  detail: ProcedureDetail;
  onSave: (items: Array<{ itemId: string; passed: boolean; comment: string | null }>, decision: 'passed' | 'failed') => void;
  busy: boolean;
}) {
  const t = useT();
  const language = useUiLanguage();
  const map = props.detail.technologicalMap;
  const recorded = props.detail.practical;
  const [items, setItems] = useState(() =>
    map.map((m) => {
      const r = recorded?.items.find((i) => i.itemId === m.id);
      return { itemId: m.id, passed: r?.passed ?? true, comment: r?.comment ?? '' };
    }),
  );
  const [decision, setDecision] = useState<'passed' | 'failed'>(recorded?.decision ?? 'passed');
  const [problem, setProblem] = useState<{ reason: string; itemIds: string[] } | null>(null);
  if (map.length === 0) return <p className="warning">{t('cm.practical.noMap')}</p>;
  const set = (i: number, change: Partial<(typeof items)[number]>) => {
    const next = items.map((x, j) => (j === i ? { ...x, ...change } : x));
    setItems(next);
    // The decision follows the items (passed only when every item is): the form proposes it, the member can still read it before saving.
    setDecision(next.every((x) => x.passed) ? 'passed' : 'failed');
  };
  const submit = () => {
    const body = items.map((x) => ({ itemId: x.itemId, passed: x.passed, comment: x.comment.trim() ? x.comment.trim() : null }));
    const checked = checkPractical(map, { items: body, decision });
    if (!checked.ok) {
      setProblem({ reason: checked.reason, itemIds: checked.itemIds ?? [] });
      return;
    }
    setProblem(null);
    props.onSave(body, decision);
  };
  const itemName = (id: string) => map.find((m) => m.id === id)?.text[language] ?? id;
  return (
    <form
      className="cm-practical"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      data-testid="cm-practical-form"
    >
      <table className="cm-table">
        <thead>
          <tr>
            <th scope="col">{t('cm.practical.item')}</th>
            <th scope="col">{t('cm.practical.passed')}</th>
            <th scope="col">{t('cm.practical.failed')}</th>
            <th scope="col">{t('cm.practical.comment')}</th>
          </tr>
        </thead>
        <tbody>
          {map.map((m, i) => {
            const x = items[i]!;
            const wrong = problem?.itemIds.includes(m.id) ?? false;
            return (
              <tr key={m.id} data-testid="cm-item" data-item-id={m.id}>
                <th scope="row" id={`cm-item-${m.id}`}>
                  {m.text[language]}
                </th>
                <td>
                  <input
                    type="radio"
                    name={`item-${m.id}`}
                    checked={x.passed}
                    onChange={() => set(i, { passed: true })}
                    aria-label={`${t('cm.practical.passed')}: ${m.text[language]}`}
                  />
                </td>
                <td>
                  <input
                    type="radio"
                    name={`item-${m.id}`}
                    checked={!x.passed}
                    onChange={() => set(i, { passed: false })}
                    aria-label={`${t('cm.practical.failed')}: ${m.text[language]}`}
                    data-testid="cm-item-failed"
                  />
                </td>
                <td>
                  <input
                    type="text"
                    value={x.comment}
                    maxLength={1000}
                    onChange={(e) => set(i, { comment: e.target.value })}
                    aria-invalid={wrong || undefined}
                    aria-label={`${x.passed ? t('cm.practical.comment') : t('cm.practical.commentRequired')}: ${m.text[language]}`}
                    data-testid="cm-item-comment"
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <fieldset className="cm-decision">
        <legend>{t('cm.practical.decision')}</legend>
        <label>
          <input type="radio" name="decision" checked={decision === 'passed'} onChange={() => setDecision('passed')} />{' '}
          {t('cm.outcome.passed')}
        </label>
        <label>
          <input type="radio" name="decision" checked={decision === 'failed'} onChange={() => setDecision('failed')} />{' '}
          {t('cm.outcome.failed.practical')}
        </label>
      </fieldset>
      {problem ? (
        <p role="alert" className="error">
          {refusalText(t, { code: 'invalid', reason: problem.reason })}{' '}
          {problem.itemIds.length ? t('cm.practical.itemsNamed', { items: problem.itemIds.map(itemName).join('; ') }) : null}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={props.busy} data-testid="cm-practical-save">
        {t('cm.practical.save')}
      </button>
    </form>
  );
}
