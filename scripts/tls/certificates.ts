import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';

/** A certificate and its private key, PEM-encoded. */
export interface Pem {
  cert: string;
  key: string;
}

/** selfsigned's subjectAltName entries: 2 is a DNS name, 7 an IP address. */
export type AltName = { type: 2; value: string } | { type: 7; ip: string };

const day = 24 * 3600 * 1000;

/** EC P-256 with SHA-256: quick to generate, and accepted by Go's TLS, rustls (the Temporal SDK) and OpenSSL alike. */
const keyOptions = (validDays: number) =>
  ({
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + validDays * day),
  }) as const;

const subjectAltName = (altNames: AltName[]) => ({ name: 'subjectAltName', altNames }) as const;

/** A self-signed certificate that is its own CA, for a server its clients trust by that one certificate. */
export async function selfSignedCertificate(commonName: string, altNames: AltName[], validDays: number): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    ...keyOptions(validDays),
    extensions: [{ name: 'basicConstraints', cA: true }, subjectAltName(altNames)],
  });
  return { cert: pems.cert, key: pems.private };
}

export interface PrivateCa {
  ca: Pem;
  /**
   * A certificate signed by the CA. Without `altNames` it gets selfsigned's defaults: usable for server and client
   * authentication, with the common name as its DNS name (and 127.0.0.1 too for `localhost`).
   */
  issue: (commonName: string, altNames?: AltName[]) => Promise<Pem>;
}

/** A private CA, the way a cluster with mTLS has one: it signs the server's certificate and every client's. */
export async function privateCa(commonName: string, validDays: number): Promise<PrivateCa> {
  const generated = await generate([{ name: 'commonName', value: commonName }], {
    ...keyOptions(validDays),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true },
    ],
  });
  const ca = { cert: generated.cert, key: generated.private };
  return {
    ca,
    issue: async (name, altNames) => {
      const pems = await generate([{ name: 'commonName', value: name }], {
        ...keyOptions(validDays),
        ca,
        ...(altNames ? { extensions: [subjectAltName(altNames)] } : {}),
      });
      return { cert: pems.cert, key: pems.private };
    },
  };
}

/** Whether a PEM certificate is still valid `days` from now: kept files are renewed before they run out. */
export const validFor = (certPem: string, days: number) =>
  new Date(new X509Certificate(certPem).validTo).getTime() > Date.now() + days * day;
