/** Shows a live MediaStream (the candidate's own camera); muted, so it never echoes. */
import { useEffect, useRef } from 'react';

export function SelfView(props: { stream: MediaStream | null; label: string; className?: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = props.stream;
    // A muted inline video plays without a gesture; a refused play only leaves the preview still.
    if (props.stream) void video.play().catch(() => undefined);
  }, [props.stream]);
  return (
    <video
      ref={ref}
      className={props.className ?? 'self-view'}
      aria-label={props.label}
      muted
      playsInline
      autoPlay
      data-testid="self-view"
    />
  );
}
