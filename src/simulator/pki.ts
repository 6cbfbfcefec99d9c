import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// @peculiar/x509 needs a WebCrypto implementation; node's is complete, so register it once.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const EC_KEY: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const EC_SIGN: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
export type KeyPair = webcrypto.CryptoKeyPair;

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

/** A certificate with its private key, both as PEM (what node's TLS and kubeconfigs want). */
export interface CertifiedKey {
  certPem: string;
  keyPem: string;
  notAfter: Date;
}

export interface CertificateAuthority extends CertifiedKey {
  readonly name: string;
  /** Signs a leaf certificate; the leaf's key is fresh EC P-256. */
  issue(leaf: LeafSpec): Promise<CertifiedKey>;
}

export interface LeafSpec {
  commonName: string;
  organizations?: string[];
  usage: 'server' | 'client';
  dnsNames?: string[];
  ipAddresses?: string[];
  notBefore?: Date;
  notAfter?: Date;
}

/** Serial numbers must be positive: clear the top bit of 16 random bytes. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

/** X.509 times have second precision; truncating up front keeps expirationTimestamp == NotAfter. */
export function toCertTime(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function ecKeys(): Promise<KeyPair> {
  return webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
}

/**
 * A self-signed CA. EC P-256 is used for all TLS material because its keys generate in well under a
 * millisecond, which keeps starting a runtime cheap; RSA is only needed for token signing.
 */
export async function createCertificateAuthority(name: string): Promise<CertificateAuthority> {
  const keys = await ecKeys();
  const now = Date.now();
  const notAfter = toCertTime(new Date(now + TEN_YEARS_MS));
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: [{ CN: [name] }],
    notBefore: toCertTime(new Date(now - 3600_000)),
    notAfter,
    keys,
    signingAlgorithm: EC_SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const authorityKeyId = await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey);

  return {
    name,
    certPem: caCert.toString('pem'),
    keyPem: await privateKeyPem(keys.privateKey),
    notAfter,
    async issue(leaf: LeafSpec): Promise<CertifiedKey> {
      const leafKeys = await ecKeys();
      const subject: x509.JsonName = [{ CN: [leaf.commonName] }];
      if (leaf.organizations?.length) {
        subject.push({ O: leaf.organizations });
      }
      const sans: x509.JsonGeneralName[] = [
        ...(leaf.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
        ...(leaf.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
      ];
      const leafNotAfter = toCertTime(leaf.notAfter ?? new Date(Date.now() + TEN_YEARS_MS));
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serialNumber(),
        subject,
        issuer: caCert.subject,
        notBefore: toCertTime(leaf.notBefore ?? new Date(Date.now() - 3600_000)),
        notAfter: leafNotAfter,
        publicKey: leafKeys.publicKey,
        signingKey: keys.privateKey,
        signingAlgorithm: EC_SIGN,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension(
            [leaf.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth],
            false,
          ),
          authorityKeyId,
          ...(sans.length ? [new x509.SubjectAlternativeNameExtension(sans, false)] : []),
        ],
      });
      return {
        certPem: cert.toString('pem'),
        keyPem: await privateKeyPem(leafKeys.privateKey),
        notAfter: leafNotAfter,
      };
    },
  };
}

/** Serving certificate valid for loopback under both names clients use (and the in-cluster names). */
export function issueServingCertificate(
  ca: CertificateAuthority,
  host: string,
  extraDns: string[] = [],
): Promise<CertifiedKey> {
  const isIp = /^[\d.]+$|:/.test(host);
  const dnsNames = ['localhost', ...extraDns, ...(isIp ? [] : [host])];
  const ipAddresses = ['127.0.0.1', ...(isIp && host !== '127.0.0.1' ? [host] : [])];
  return ca.issue({ commonName: host, usage: 'server', dnsNames: [...new Set(dnsNames)], ipAddresses });
}

/** RSA-2048 key pair for RS256 service-account tokens (generated off the main thread by WebCrypto). */
export async function createTokenSigningKey(): Promise<KeyPair> {
  return webcrypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
