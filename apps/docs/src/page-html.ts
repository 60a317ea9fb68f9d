/**
 * The documentation page's HTML, rendered at build time from the rules'
 * catalogues and the OpenAPI examples (`scripts/build.ts`); its Headers
 * section from the words the OpenAPI document is made from
 * (`./request-headers.ts`), so the two cannot disagree. The
 * sandbox console sits between two markers, which the Worker cuts out
 * outside the sandbox.
 */
import { type Table, legacyCatalogueTable, r4CatalogueTable } from './catalogue-table.ts';
import { SANDBOX_CONSOLE_MARKERS } from './console-markers.ts';
import { checkOrderText, requestHeadersTable } from './request-headers.ts';

/** What the page shows beyond the catalogues. */
export interface PageInput {
  readonly version: string;
  /** Data for the page's module: validator examples, the sandbox directory, console defaults (JSON, in a non-executed script element). */
  readonly data: unknown;
  /** The URL paths of the stylesheet and the page module. */
  readonly assets: { readonly style: string; readonly app: string };
}

/** @internal Escapes text for HTML content and attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * @internal A table with a caption, the first cell of each row its header.
 * Each data cell names its column (`data-label`), which a narrow screen
 * shows beside it when the stylesheet stacks the rows (`page/style.css`).
 */
function table(caption: string, t: Table, id: string): string {
  const head = t.head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const cell = (c: string, i: number) =>
    i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td data-label="${escapeHtml(t.head[i] ?? '')}">${escapeHtml(c)}</td>`;
  const rows = t.rows.map((cells) => `<tr>${cells.map(cell).join('')}</tr>`).join('\n');
  return `<div class="table" role="region" aria-labelledby="${id}" tabindex="0"><table><caption id="${id}">${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

const INTERACTIONS: Table = {
  head: ['Interaction', 'Request', 'Success'],
  rows: [
    [
      'Search',
      'GET /Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}',
      '200, a searchset Bundle: total 1 with the active Flag, or total 0',
    ],
    ['Add', 'POST /Flag with a Flag', '201 with Location, ETag and Last-Modified, and the new Flag'],
    ['Remove', 'PUT /Flag/{id} with the Flag, status inactive or entered-in-error and a removal reason', '200 with the Flag at its next version'],
    ['Read', 'GET /Flag/{id}', '200 with the Flag, active or removed'],
    ['Capabilities', 'GET /metadata (no headers needed)', '200, the CapabilityStatement'],
    ['Legacy query, create, delete', 'POST /fhir/fgm/query | create | delete with a DSTU2 message Bundle in XML', '200, 201, 200: a message Bundle'],
  ],
};

/** Renders the page. */
export function renderPage(input: PageInput): string {
  const { start, end } = SANDBOX_CONSOLE_MARKERS;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>FGM-IS FHIR R4 API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${input.assets.style}">
<script type="module" src="${input.assets.app}"></script>
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header>
<h1>FGM-IS FHIR R4 API <span class="version">${escapeHtml(input.version)}</span></h1>
<nav aria-label="On this page"><ul>
<li><a href="#about">What it is</a></li><li><a href="#interactions">Interactions</a></li><li><a href="#headers">Headers</a></li>
<li><a href="#validator">Validator</a></li>${start}<li><a href="#console">Sandbox console</a></li>${end}<li><a href="#errors">Errors</a></li>
<li><a href="/openapi.json">OpenAPI document</a></li><li><a href="/metadata">CapabilityStatement</a></li>
</ul></nav>
</header>
<main id="main">
<section id="about" aria-labelledby="about-h">
<h2 id="about-h">What FGM-IS is</h2>
<p>The Female Genital Mutilation Information Sharing register (FGM-IS) tells clinicians whether a girl under 18 has a family history of FGM, so that she can be safeguarded. Clinical systems <strong>search</strong> for the indicator, a FHIR R4 <code>Flag</code>, by NHS number, <strong>add</strong> it, and <strong>remove</strong> it with a reason. A flag stops being returned on the girl’s 18th birthday. The legacy Spine messaging API (FHIR DSTU2, XML) reaches the same register.</p>
<p>Every interaction, header, schema and error is in the <a href="/openapi.json">OpenAPI 3.1 document</a>, generated from the same rules the server runs.</p>
<p><strong>Integrating a clinical system?</strong> Read the supplier guide (<code>docs/suppliers.md</code> in the repository: what to send, what each answer means, retries, the 24-hour cache, the legacy messages). An error is never “no flag”: a 503 or a timeout means the register <em>could not be checked</em>. The repository also holds <code>@fgm-is/client</code>, a typed client for both channels, <code>@fgm-is/conformance</code> (<code>npx fgm-is-conformance --base &lt;url&gt;</code>), which tests any FGM-IS server against the contract, and <code>docs/suppliers/fgm-is.http</code>, every interaction as a request to send.</p>
</section>
<section id="interactions" aria-labelledby="interactions-h">
<h2 id="interactions-h">Interactions</h2>
${table('The interactions', INTERACTIONS, 'interactions-caption')}
</section>
<section id="headers" aria-labelledby="headers-h">
<h2 id="headers-h">Headers</h2>
<p>${escapeHtml(checkOrderText())} The <a href="#errors">catalogue</a> is below; every header is in the <a href="/openapi.json">OpenAPI document</a> in the same words.</p>
${table('Request headers', requestHeadersTable(), 'headers-caption')}
</section>
<section id="validator" aria-labelledby="validator-h">
<h2 id="validator-h">Live validator</h2>
<p>Paste the body of an Add (<code>POST /Flag</code>) or pick an example: <code>@fgm-is/rules</code>, the server’s own rules, decide it <strong>in your browser</strong>, without sending anything, and show the <code>OperationOutcome</code> the server would return.</p>
<form id="validator-form" class="stack">
<div><label for="validator-example">Example</label>
<select id="validator-example"></select></div>
<div><label for="validator-body">Flag (JSON)</label>
<textarea id="validator-body" rows="16" spellcheck="false" autocomplete="off" aria-describedby="validator-hint"></textarea>
<p id="validator-hint" class="hint">The body checks come first (JSON, size, NHS number, code, status, removal reason, date), then the patient: with the box ticked, against the sandbox directory as freshly seeded.</p></div>
<div class="check"><input type="checkbox" id="validator-directory" checked><label for="validator-directory">Also decide against the sandbox patient directory</label></div>
<div><button type="submit">Validate</button></div>
</form>
<div id="validator-result" class="result" role="status" aria-live="polite" aria-atomic="true"></div>
<pre id="validator-outcome" class="code" tabindex="0" aria-label="The OperationOutcome" hidden></pre>
</section>
${start}
<section id="console" aria-labelledby="console-h">
<h2 id="console-h">Sandbox console</h2>
<p>Calls this sandbox for real. Pick the calling system and the user’s role, get a sandbox token, then send an interaction: the request and the full response, headers included, are shown below.</p>
<form id="token-form" class="stack">
<fieldset><legend>Caller</legend>
<div><label for="console-asid">Calling system (FromASID)</label>
<select id="console-asid"></select></div>
<div><label for="console-role">User’s role (the token’s activities)</label>
<select id="console-role"></select></div>
<div><button type="submit">Get a sandbox token</button></div>
<div><label for="console-token">Token</label><input id="console-token" readonly aria-describedby="token-status"><p id="token-status" class="hint" role="status" aria-live="polite"></p></div>
</fieldset>
</form>
<form id="console-form" class="stack">
<fieldset><legend>Request</legend>
<div><label for="console-interaction">Interaction</label>
<select id="console-interaction"><option value="search">Search</option><option value="add">Add</option><option value="remove">Remove</option><option value="read">Read</option></select></div>
<div data-for="search add"><label for="console-nhs">NHS number</label><input id="console-nhs" inputmode="numeric" autocomplete="off"></div>
<div data-for="remove read"><label for="console-id">Flag id</label><input id="console-id" autocomplete="off"></div>
<div data-for="remove"><label for="console-if-match">If-Match (optional)</label><input id="console-if-match" autocomplete="off" placeholder='W/"1"'></div>
<div data-for="add remove"><label for="console-prefer">Prefer</label><select id="console-prefer"><option value="">(none)</option><option>return=representation</option><option>return=minimal</option><option>return=OperationOutcome</option></select></div>
<div data-for="add remove"><label for="console-body">Body</label><textarea id="console-body" rows="14" spellcheck="false" autocomplete="off"></textarea></div>
<div><button type="submit">Send</button></div>
</fieldset>
</form>
<div id="console-status" class="result" role="status" aria-live="polite"></div>
<h3 id="console-request-h">Request</h3>
<pre id="console-request" class="code" tabindex="0" aria-labelledby="console-request-h"></pre>
<h3 id="console-response-h">Response</h3>
<pre id="console-response" class="code" tabindex="0" aria-labelledby="console-response-h"></pre>
</section>
${end}
<section id="errors" aria-labelledby="errors-h">
<h2 id="errors-h">Error catalogue</h2>
<p>Every error the API can return, straight from <code>@fgm-is/rules</code>. Rows S1–R5 are the FGM-IS error table; the others come from the project’s decisions.</p>
${table('R4 API errors (OperationOutcome)', r4CatalogueTable(), 'errors-r4')}
${table('Legacy messaging errors (message Bundle; the diagnostics vary)', legacyCatalogueTable(), 'errors-legacy')}
</section>
</main>
<footer><p>FGM-IS reference implementation ${escapeHtml(input.version)}. <a href="/openapi.json">openapi.json</a> · <a href="/metadata">metadata</a></p></footer>
<script type="application/json" id="page-data">${JSON.stringify(input.data).replace(/</g, '\\u003c')}</script>
</body>
</html>
`;
}
