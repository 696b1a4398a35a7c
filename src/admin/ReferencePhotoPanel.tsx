/**
 * A candidate's reference photo (rule 2.8.6): upload a JPEG or take one with the admin's camera.
 * The centre finds the faces and refuses a photo with none or several; the reason is a code
 * translated here. Replaces ReferencePhotos.tsx's upload for admins.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useT, type MessageKey } from '../ui/i18n/i18n';
import { errorCode, referencePhotoUrl, uploadReferencePhoto } from './admin-api';
import { FilePicker } from '../ui/components/FilePicker';
import { errorKey } from './message-keys';

/** A frame of the video as a JPEG (about 640 px wide, well under the centre's 2 MB). */
async function captureJpeg(video: HTMLVideoElement): Promise<Blob> {
  const scale = Math.min(1, 640 / (video.videoWidth || 640));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round((video.videoWidth || 640) * scale);
  canvas.height = Math.round((video.videoHeight || 480) * scale);
  canvas.getContext('2d')!.drawImage(video, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('capture'))), 'image/jpeg', 0.9));
}

export function ReferencePhotoPanel(props: { token: string; candidateId: string; name: string; hasPhoto: boolean; onSaved: () => void }) {
  const t = useT();
  const [message, setMessage] = useState<{ ok: boolean; key: MessageKey } | null>(null);
  const [busy, setBusy] = useState(false);
  const [photo, setPhoto] = useState<string | null>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    let url: string | null = null;
    if (props.hasPhoto) void referencePhotoUrl(props.token, props.candidateId).then((u) => setPhoto((url = u)));
    else setPhoto(null);
    return () => (url ? URL.revokeObjectURL(url) : undefined);
  }, [props.hasPhoto, props.token, props.candidateId]);
  useEffect(() => {
    if (video.current && stream) video.current.srcObject = stream;
    return () => stream?.getTracks().forEach((track) => track.stop());
  }, [stream]);

  const send = (jpeg: Blob) => {
    setBusy(true);
    setMessage({ ok: true, key: 'admin.photo.checking' });
    uploadReferencePhoto(props.token, props.candidateId, jpeg)
      .then(
        () => {
          setMessage({ ok: true, key: 'admin.photo.saved' });
          setStream(null);
          props.onSaved();
        },
        (e: unknown) => setMessage({ ok: false, key: errorKey(errorCode(e)) }),
      )
      .finally(() => setBusy(false));
  };
  const upload = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const file = new FormData(e.currentTarget).get('photo');
    if (file instanceof Blob && file.size > 0) send(file);
  };
  const openCamera = () =>
    navigator.mediaDevices
      .getUserMedia({ video: { width: 640, height: 480 }, audio: false })
      .then(setStream, () => setMessage({ ok: false, key: 'admin.photo.noCamera' }));
  const inputId = `photo-${props.candidateId}`;

  return (
    <section aria-labelledby="photo-title" className="admin-photo" data-testid="reference-panel">
      <h3 id="photo-title">{t('admin.photo.title')}</h3>
      <p className="hint">{t('admin.photo.intro')}</p>
      <div className="admin-photo-row">
        {photo ? <img src={photo} alt={t('admin.photo.current', { name: props.name })} width={160} /> : <p>{t('admin.photo.none')}</p>}
        <div>
          <form onSubmit={upload} className="admin-inline">
            <FilePicker id={inputId} name="photo" label={t('admin.photo.file')} accept="image/jpeg" />
            <button type="submit" disabled={busy}>
              {t('admin.photo.upload')}
            </button>
          </form>
          {stream ? (
            <div className="admin-camera">
              <video ref={video} autoPlay muted playsInline aria-label={t('admin.photo.preview')} width={320} />
              <div className="admin-inline">
                <button
                  type="button"
                  className="primary"
                  disabled={busy}
                  onClick={() => video.current && void captureJpeg(video.current).then(send)}
                >
                  {t('admin.photo.capture')}
                </button>
                <button type="button" onClick={() => setStream(null)}>
                  {t('admin.photo.stopCamera')}
                </button>
              </div>
            </div>
          ) : (
            <button type="button" onClick={() => void openCamera()}>
              {t('admin.photo.camera')}
            </button>
          )}
        </div>
      </div>
      {message ? (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'} data-testid="photo-message">
          {t(message.key)}
        </p>
      ) : null}
    </section>
  );
}
