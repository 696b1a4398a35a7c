/**
 * A file field whose words come from the catalogues: the browser's own file input says "Choose File / No file
 * chosen" in the browser's language, which would leak English into kk / ru screens. The real input stays in the
 * page (focusable, named by the visible label) and the button-like label opens it.
 */
import { useState } from 'react';
import { useT } from '../i18n/i18n';

export function FilePicker(props: { id: string; name: string; label: string; accept: string; required?: boolean; describedBy?: string }) {
  const t = useT();
  const [fileName, setFileName] = useState<string | null>(null);
  return (
    <span className="admin-file">
      <span id={`${props.id}-label`}>{props.label}</span>
      <input
        id={props.id}
        name={props.name}
        type="file"
        accept={props.accept}
        required={props.required ?? true}
        className="sr-only"
        aria-labelledby={`${props.id}-label`}
        aria-describedby={props.describedBy}
        onChange={(e) => setFileName(e.target.files?.[0]?.name ?? null)}
      />
      <label htmlFor={props.id} className="admin-file-button">
        {t('admin.file.choose')}
      </label>
      <span className="hint" data-file-name={fileName ? true : undefined}>
        {fileName ?? t('admin.file.none')}
      </span>
    </span>
  );
}
