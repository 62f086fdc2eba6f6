// A self-signed certificate for pagerduty.com, *.pagerduty.com and *.eu.pagerduty.com,
// made with openssl once per machine (cached under the OS temp dir). The browser runs
// with --ignore-certificate-errors, so only the host names matter.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const DIR = join(tmpdir(), "runbook-lens-test-cert");
const NAMES = ["pagerduty.com", "*.pagerduty.com", "*.eu.pagerduty.com"];

export function testCert() {
  const key = join(DIR, "key.pem");
  const cert = join(DIR, "cert.pem");
  if (!existsSync(key) || !existsSync(cert)) {
    mkdirSync(DIR, { recursive: true });
    try {
      execFileSync(
        "openssl",
        [
          "req", "-x509", "-nodes", "-days", "3650",
          "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
          "-keyout", key, "-out", cert,
          "-subj", "/CN=pagerduty.com",
          "-addext", "subjectAltName=" + NAMES.map((n) => "DNS:" + n).join(","),
        ],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
    } catch (e) {
      throw new Error(`openssl could not make the test certificate (install it: apt-get install openssl): ${e.stderr || e.message}`);
    }
  }
  return { key: readFileSync(key), cert: readFileSync(cert) };
}
