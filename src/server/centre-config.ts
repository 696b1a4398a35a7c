/**
 * The centre's settings (main.ts reads them from TANU_* variables; tests pass their own), their
 * defaults, and what the centre tells browsers about itself: the content security policy and the
 * address a document's QR code holds.
 */
import type { IceServer } from '../shared/control-room';
import { DEFAULT_PROCTOR_LIMIT } from '../shared/control-room';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './http-routes';
import { DEFAULT_CANDIDATE_RATE_LIMITS, type BucketRate, type CandidateRateLimits } from './rate-limit';
import { DEFAULT_VERIFY_RATE } from './verify-routes';

export interface CentreConfig {
  /** Base URL printed in exam links, e.g. http://localhost:8080. */
  publicUrl: string;
  /** The built app (vite build output); null serves the API only. */
  staticDir: string | null;
  /** Verified model files (see models/manifest.json), served under /models/. */
  modelsDir: string | null;
  examTokenTtlMs: number;
  staffSessionTtlMs: number;
  sweepIntervalMs: number;
  /** Where exam recordings are kept on disk (`<dataDir>/recordings`); null: recording uploads are refused. */
  recordingsDir: string | null;
  /** This node's name, for its temporary files in a recordings folder shared by several nodes. */
  nodeId: string;
  /** STUN/TURN servers for the live camera (TANU_ICE_SERVERS); none on a LAN or localhost. */
  iceServers: IceServer[];
  /** Candidates one proctor may be assigned at most (TANU_PROCTOR_LIMIT). */
  proctorLimit: number;
  /** Per-session token buckets for candidate commands, by family. */
  candidateRateLimits: CandidateRateLimits;
  /** Concurrent password checks and log-in attempts per address. */
  loginLimits: LoginLimits;
  /** HTTP timeouts (fastify requestTimeout / connectionTimeout / keepAliveTimeout). */
  httpTimeouts: HttpTimeouts;
  /**
   * The TLS proxy's address(es) whose X-Forwarded-For is believed (TANU_TRUST_PROXY, fastify trustProxy),
   * so log-ins are throttled per real client address; false: the connecting address is the client's.
   */
  trustProxy: string | false;
  /**
   * What a document's QR code holds, with `{number}` for its serial number (TANU_VERIFY_URL_TEMPLATE);
   * null: the centre's own page, `${publicUrl}/verify/{number}`. A centre may point it at the e-government portal.
   */
  verifyUrlTemplate: string | null;
  /** Public verification checks per address (GET /verify/:number). */
  verifyRate: BucketRate;
}

export interface HttpTimeouts {
  /** The whole request (headers and body) must arrive within this (TANU_REQUEST_TIMEOUT_S): a stalled body is cut off with 408. */
  requestMs: number;
  /** A connection idle this long is closed (socket inactivity; upgraded WebSockets are not affected). */
  connectionMs: number;
  /** An idle keep-alive connection is kept this long: longer than the TLS proxy's upstream keep-alive. */
  keepAliveMs: number;
  /** How often Node checks requests against requestMs (its default is 30 s, too coarse for a short timeout). */
  checkIntervalMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  requestMs: 30_000,
  connectionMs: 120_000,
  keepAliveMs: 72_000,
  checkIntervalMs: 5_000,
};

export const DEFAULT_CONFIG: Omit<CentreConfig, 'publicUrl' | 'staticDir' | 'modelsDir'> = {
  examTokenTtlMs: 14 * 24 * 3600_000,
  staffSessionTtlMs: 12 * 3600_000,
  sweepIntervalMs: 1_000,
  recordingsDir: null,
  nodeId: 'local',
  iceServers: [],
  proctorLimit: DEFAULT_PROCTOR_LIMIT,
  candidateRateLimits: DEFAULT_CANDIDATE_RATE_LIMITS,
  loginLimits: DEFAULT_LOGIN_LIMITS,
  httpTimeouts: DEFAULT_HTTP_TIMEOUTS,
  trustProxy: false,
  verifyUrlTemplate: null,
  verifyRate: DEFAULT_VERIFY_RATE,
};

/** The address a document's QR code holds: the template with the serial number put in (URL-encoded). */
export function verificationUrl(config: Pick<CentreConfig, 'publicUrl' | 'verifyUrlTemplate'>, serialNumber: string): string {
  return (config.verifyUrlTemplate ?? `${config.publicUrl}/verify/{number}`).replace('{number}', encodeURIComponent(serialNumber));
}

/**
 * The app loads only its own files: no inline script, no third-party host (centres run offline
 * anyway). 'wasm-unsafe-eval' lets the proctoring models' WebAssembly compile; media and workers
 * may come from blob: URLs made in the page.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
