/**
 * Transport and XML safety of the legacy endpoints (L-2, L-3, L-4, L-11.3,
 * L-11.4): refused fast, as 400 MESSAGE_NOT_WELL_FORMED with diagnostics
 * naming the fault, with nothing read beyond what was needed and nothing changed.
 */
import { LEGACY_SPEC_ERRORS } from '@fgm-is/spec-oracle';
import { describe, expect, it } from 'vitest';
import { auditOf } from '../support/audit.ts';
import { call } from '../support/http.ts';
import { message, post, readReply } from '../support/legacy.ts';
import { useSandbox } from '../support/sandbox.ts';
import { appWith } from '../support/services.ts';
import { flagsSnapshot } from '../support/snapshot.ts';

useSandbox();

const QUERY = message('query');
const withoutDeclaration = QUERY.replace('<?xml version="1.0" encoding="UTF-8"?>', '');
const deep = (levels: number) => `${'<extension url="x">'.repeat(levels)}${'</extension>'.repeat(levels)}`;
/** The query example with `levels` nested elements inside MessageHeader.source (Bundle 1, entry 2, resource 3, MessageHeader 4, source 5). */
const nested = (levels: number) => QUERY.replace('<name value="Standon NHS Trust"/>', `<name value="Standon NHS Trust"/>${deep(levels)}`);

async function refusal(response: Response): Promise<{ status: number; code: string | undefined; diagnostics: string | undefined }> {
  const reply = await readReply(response);
  return { status: response.status, code: reply.outcome?.detailsCode, diagnostics: reply.outcome?.diagnostics };
}

describe('XML safety (L-2, L-11.3)', () => {
  it.each<[string, string, string]>([
    [
      'a DOCTYPE with a billion-laughs entity',
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>${withoutDeclaration.replace('Standon NHS Trust', '&lol3;')}`,
      'XML with a DOCTYPE or entity declarations is not accepted',
    ],
    [
      'an external entity (XXE)',
      `<?xml version="1.0"?><!DOCTYPE Bundle [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${withoutDeclaration.replace('Standon NHS Trust', '&xxe;')}`,
      'XML with a DOCTYPE or entity declarations is not accepted',
    ],
    ['an undeclared entity', QUERY.replace('Standon NHS Trust', '&nbsp;'), 'The body is not well-formed XML'],
    [
      'a processing instruction',
      QUERY.replace('<Bundle', '<?xml-stylesheet type="text/xsl" href="http://evil.example/x.xsl"?><Bundle'),
      'Processing instructions other than the XML declaration are not accepted',
    ],
    ['a declared encoding other than UTF-8', QUERY.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'Only UTF-8 is accepted'],
    ['nesting to 33 levels', nested(28), 'Nesting deeper than 32 elements is not accepted'],
    ['mismatched tags', QUERY.replace('</Parameters>', '</Parameter>'), 'The body is not well-formed XML'],
    ['two root elements', `${QUERY}<Bundle/>`, 'The body is not well-formed XML'],
    ['a truncated document', QUERY.slice(0, 900), 'The body is not well-formed XML'],
    [
      'a root in another namespace',
      QUERY.replace('<Bundle xmlns="http://hl7.org/fhir">', '<Bundle xmlns="urn:evil">'),
      'The root element is not in the FHIR namespace',
    ],
    ['an empty body', '', 'The body is empty'],
  ])('[L-2] [H-04] [H-07] [H-08] refuses %s, fast', async (_name, body, diagnostics) => {
    const before = await flagsSnapshot();
    const started = Date.now();
    const response = await post('query', body);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await refusal(response)).toEqual({ status: 400, code: 'MESSAGE_NOT_WELL_FORMED', diagnostics });
    expect(await flagsSnapshot()).toEqual(before);
  });

  const BOM = [0xef, 0xbb, 0xbf];
  const bytes = (...parts: (number[] | string)[]) =>
    new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...new TextEncoder().encode(part)] : part)));

  it.each<[string, Uint8Array | string]>([
    ['a body starting with two UTF-8 byte-order marks', bytes(BOM, BOM, QUERY)],
    ['two byte-order marks before a document without an XML declaration', bytes(BOM, BOM, withoutDeclaration)],
    ['a byte-order mark after the XML declaration', QUERY.replace('?>', '?>\ufeff')],
    ['an XML 1.1 declaration', QUERY.replace('version="1.0"', 'version="1.1"')],
    ['an XML 1.1 declaration without an encoding', `<?xml version="1.1"?>${withoutDeclaration}`],
    ['an XML 1.1 declaration after a byte-order mark', bytes(BOM, QUERY.replace('version="1.0"', 'version="1.1"'))],
    ['an XML 1.9 declaration', QUERY.replace('version="1.0"', 'version="1.9"')],
  ])(
    '[L-11.3] [H-04] [H-08] refuses %s: 400 MESSAGE_NOT_WELL_FORMED, nothing read or changed',
    async (_name, body) => {
      const [status, severity, issueType, code, display] = LEGACY_SPEC_ERRORS.MESSAGE_NOT_WELL_FORMED;
      const before = await flagsSnapshot();
      const response = await post('query', body);
      expect(response.status).toBe(status);
      expect((await readReply(response)).outcome).toMatchObject({
        severity,
        code: issueType,
        detailsCode: code,
        display,
        diagnostics: 'The body is not well-formed XML',
      });
      expect(await flagsSnapshot()).toEqual(before);
      expect(await auditOf(response)).toMatchObject({ channel: 'messaging', interaction: 'query', status: 400, nhs_number: null, trace_id: null });
    },
    15_000,
  );

  it('[L-11.3] still accepts one byte-order mark, and the XML 1.0 declaration in either quotes or none at all', async () => {
    expect((await post('query', bytes(BOM, QUERY))).status).toBe(200);
    expect((await post('query', QUERY.replace('<?xml version="1.0" encoding="UTF-8"?>', "<?xml version='1.0' encoding='utf-8'?>"))).status).toBe(200);
    expect((await post('query', bytes(BOM, withoutDeclaration))).status).toBe(200);
  });

  it('[L-11.3] accepts nesting to exactly 32 levels', async () => {
    expect((await post('query', nested(27))).status).toBe(200);
  });

  it('[L-11.3] decodes the five predefined entities and numeric character references', async () => {
    const body = QUERY.replace('<valueString value="9000000009"/>', '<valueString value="&#57;&#x30;00000009"/>').replace(
      'Standon NHS Trust',
      'St &amp; &lt;J&gt; &quot;&apos;',
    );
    expect((await post('query', body)).status).toBe(200);
  });

  it('[L-11.3] ignores comments and CDATA, and takes FHIR elements with or without the namespace, under any prefix', async () => {
    const prefixed = QUERY.replace('<Bundle xmlns="http://hl7.org/fhir">', '<f:Bundle xmlns:f="http://hl7.org/fhir"><!-- a comment -->')
      .replace('</Bundle>', '</f:Bundle>')
      .replace('<type value="message"/>', '<f:type value="message"/><![CDATA[ignored <text>]]>');
    expect((await post('query', prefixed)).status).toBe(200);
    expect((await post('query', QUERY.replace(' xmlns="http://hl7.org/fhir"', ''))).status).toBe(200);
  });

  it('[L-11.3] accepts a UTF-8 byte-order mark, and refuses bytes that are not UTF-8', async () => {
    const bytes = new TextEncoder().encode(QUERY);
    expect((await post('query', new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]))).status).toBe(200);
    const latin1 = new TextEncoder().encode(QUERY.replace('Standon NHS Trust', 'Standon NHS Trust X'));
    latin1[latin1.indexOf(0x58)] = 0xe9;
    expect(await refusal(await post('query', latin1))).toEqual({
      status: 400,
      code: 'MESSAGE_NOT_WELL_FORMED',
      diagnostics: 'The body is not valid UTF-8',
    });
  });
});

describe('transport (L-2, L-11.4)', () => {
  it.each(['application/xml+fhir', 'application/fhir+xml', 'text/xml; charset=utf-8', 'application/xml;charset=UTF-8'])(
    '[L-2] takes Content-Type %s',
    async (type) => {
      expect((await post('query', QUERY, { 'Content-Type': type })).status).toBe(200);
    },
  );

  it.each(['application/json', 'application/fhir+json', 'text/plain', 'text/xml; charset=iso-8859-1', ''])(
    '[L-2] refuses Content-Type %j',
    async (type) => {
      expect(await refusal(await post('query', QUERY, { 'Content-Type': type }))).toEqual({
        status: 400,
        code: 'MESSAGE_NOT_WELL_FORMED',
        diagnostics: 'Content-Type must be application/xml+fhir, application/fhir+xml, text/xml or application/xml, in UTF-8',
      });
    },
  );

  it('[L-2] [D-23] a body over 64 KiB is 413, issue type too-costly', async () => {
    const response = await post('query', QUERY.replace('<name value="Standon NHS Trust"/>', `<name value="${'x'.repeat(70_000)}"/>`));
    expect(response.status).toBe(413);
    expect((await readReply(response)).outcome).toMatchObject({
      severity: 'error',
      code: 'too-costly',
      detailsCode: 'MESSAGE_NOT_WELL_FORMED',
      diagnostics: 'Request body too large',
    });
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('[L-2] %s on a legacy path is 405 with Allow: POST', async (method) => {
    const response = await call('/fhir/fgm/create', { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('POST');
    expect((await readReply(response)).outcome?.diagnostics).toBe('Only POST is supported');
  });

  it.each(['/fhir/fgm/query/', '/fhir/fgm/Query', '/fhir/fgm', '/fhir/fgm/search'])('[L-11.4] %s is the R4 404', async (path) => {
    const response = await call(path, { method: 'POST', headers: { 'Content-Type': 'application/xml+fhir' }, body: QUERY });
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toBe('application/fhir+json; charset=utf-8');
  });

  it('[L-4] [H-04] switched off, the legacy paths 404 like any unknown path', async () => {
    const off = appWith({ legacy: { enabled: false } });
    for (const path of ['/fhir/fgm/query', '/fhir/fgm/create', '/fhir/fgm/delete']) {
      const response = await off(path, { method: 'POST', headers: { 'Content-Type': 'application/xml+fhir' }, body: QUERY });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { issue: { code: string }[] }).issue[0]?.code).toBe('not-found');
    }
  });

  it.each([
    ['"urn:nhs:names:services:clinicals-sync:FGMQuery_2_0"', 200],
    ['urn:nhs:names:services:clinicals-sync/FGMQuery_2_0', 200],
    ['""', 200],
    ['"urn:nhs:names:services:clinicals-sync/FGMCreate_1_0"', 400],
  ])('[L-3] SOAPAction %s → %i', async (soapAction, status) => {
    expect((await post('query', QUERY, { SOAPAction: soapAction })).status).toBe(status);
  });
});
