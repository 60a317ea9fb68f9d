/**
 * The documentation page's module, in the browser: the live validator
 * (the rules decide an Add body exactly as the server does, without a
 * request) and, in the sandbox, the console (a sandbox token, then real
 * requests to this server, shown in full).
 */
import { NHS_NUMBER_SYSTEM } from '@fgm-is/rules';
import type { PageData } from '../page-data.ts';
import { decideAddBody } from '../validator.ts';

/** @internal An element by id, of the type expected. */
function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`the page has no #${id}`);
  return element;
}

/** @internal Options into a select. */
function fill(select: HTMLSelectElement, options: readonly { value: string; label: string }[]): void {
  select.replaceChildren(...options.map((o) => new Option(o.label, o.value)));
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** @internal The live validator. */
function startValidator(data: PageData): void {
  const example = byId('validator-example', HTMLSelectElement);
  const body = byId('validator-body', HTMLTextAreaElement);
  const useDirectory = byId('validator-directory', HTMLInputElement);
  const result = byId('validator-result', HTMLDivElement);
  const outcome = byId('validator-outcome', HTMLPreElement);
  fill(
    example,
    data.examples.map((e, i) => ({ value: String(i), label: e.label })),
  );
  const load = () => {
    body.value = pretty(data.examples[Number(example.value)]?.body ?? {});
  };
  const validate = () => {
    const verdict = decideAddBody(body.value, new Date(), useDirectory.checked ? data.directory : undefined);
    result.className = `result ${verdict.valid ? 'ok' : 'refused'}`;
    if (verdict.valid) {
      result.textContent = useDirectory.checked
        ? 'Valid: the sandbox would create this flag (201 Created).'
        : 'Valid: the body passes every check before the patient lookup.';
      outcome.hidden = true;
      outcome.textContent = '';
    } else {
      const issue = verdict.outcome.issue[0];
      result.textContent = `Refused: ${verdict.status} ${issue.details.coding[0].code}: ${issue.diagnostics}`;
      outcome.hidden = false;
      outcome.textContent = pretty(verdict.outcome);
    }
  };
  example.addEventListener('change', () => {
    load();
    validate();
  });
  byId('validator-form', HTMLFormElement).addEventListener('submit', (event) => {
    event.preventDefault();
    validate();
  });
  load();
}

/** @internal The sandbox console: present only where the server included it. */
function startConsole(data: PageData): void {
  if (!document.getElementById('console')) return;
  const c = data.console;
  const asid = byId('console-asid', HTMLSelectElement);
  const role = byId('console-role', HTMLSelectElement);
  const token = byId('console-token', HTMLInputElement);
  const tokenStatus = byId('token-status', HTMLParagraphElement);
  const interaction = byId('console-interaction', HTMLSelectElement);
  const nhs = byId('console-nhs', HTMLInputElement);
  const id = byId('console-id', HTMLInputElement);
  const ifMatch = byId('console-if-match', HTMLInputElement);
  const prefer = byId('console-prefer', HTMLSelectElement);
  const body = byId('console-body', HTMLTextAreaElement);
  const status = byId('console-status', HTMLDivElement);
  const requestView = byId('console-request', HTMLPreElement);
  const responseView = byId('console-response', HTMLPreElement);
  fill(asid, c.asids);
  fill(role, c.roles);
  nhs.value = c.nhsNumber;
  id.value = c.flagId;

  /** The body for the fields on screen: an Add names the NHS number field's child, a Remove the flag id field's flag. */
  const bodyFor = (kind: string) =>
    kind === 'remove'
      ? { ...(c.removeBody as object), id: id.value.trim() }
      : { ...(c.addBody as object), subject: { identifier: { system: NHS_NUMBER_SYSTEM, value: nhs.value.trim() } } };
  const showFields = () => {
    for (const field of document.querySelectorAll<HTMLElement>('#console-form [data-for]')) {
      field.hidden = !(field.dataset.for ?? '').split(' ').includes(interaction.value);
    }
    body.value = pretty(bodyFor(interaction.value));
  };
  interaction.addEventListener('change', showFields);
  // Editing the NHS number or the flag id rewrites the body, so what is sent is what is on screen.
  for (const field of [nhs, id]) {
    field.addEventListener('input', () => {
      body.value = pretty(bodyFor(interaction.value));
    });
  }
  showFields();

  /** Why a body must not be sent: it names another child (Add) or another flag (Remove) than the fields do. */
  const mismatch = (kind: string, sent: string): string | undefined => {
    let parsed: { subject?: { identifier?: { value?: unknown } }; id?: unknown };
    try {
      parsed = JSON.parse(sent) as typeof parsed;
    } catch {
      return undefined; // Not JSON: the server's own answer (400) says so, and it names no child.
    }
    if (kind === 'add' && parsed?.subject?.identifier?.value !== nhs.value.trim()) {
      return `Not sent: the body names NHS number ${String(parsed?.subject?.identifier?.value)}, the NHS number field ${nhs.value.trim()}. Make them the same child.`;
    }
    if (kind === 'remove' && parsed?.id !== id.value.trim()) {
      return `Not sent: the body names flag ${String(parsed?.id)}, the flag id field ${id.value.trim()}. Make them the same flag.`;
    }
    return undefined;
  };

  byId('token-form', HTMLFormElement).addEventListener('submit', async (event) => {
    event.preventDefault();
    const activities = c.roles.find((r) => r.value === role.value)?.activities ?? [];
    tokenStatus.textContent = 'Asking for a token…';
    const response = await fetch('/_sandbox/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ activities }),
    });
    const answer = (await response.json()) as { access_token?: string };
    token.value = answer.access_token ?? '';
    tokenStatus.textContent = response.ok
      ? `Token issued for activities [${activities.join(', ')}], valid for an hour.`
      : `No token: ${response.status}`;
  });

  byId('console-form', HTMLFormElement).addEventListener('submit', async (event) => {
    event.preventDefault();
    const kind = interaction.value;
    if (!token.value.trim()) {
      status.className = 'result refused';
      status.textContent = 'Not sent: no token yet. Get a sandbox token above first.';
      return;
    }
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token.value}`,
      TraceID: crypto.randomUUID(),
      FromASID: asid.value,
      ToASID: c.serviceAsid,
    };
    let method = 'GET';
    let path = `/Flag/${encodeURIComponent(id.value.trim())}`;
    let payload: string | undefined;
    if (kind === 'search') path = `/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|${encodeURIComponent(nhs.value.trim())}`;
    if (kind === 'add' || kind === 'remove') {
      method = kind === 'add' ? 'POST' : 'PUT';
      if (kind === 'add') path = '/Flag';
      headers['Content-Type'] = 'application/fhir+json';
      if (prefer.value) headers.Prefer = prefer.value;
      if (kind === 'remove' && ifMatch.value.trim()) headers['If-Match'] = ifMatch.value.trim();
      payload = body.value;
      const refused = mismatch(kind, payload);
      if (refused) {
        status.className = 'result refused';
        status.textContent = refused;
        return;
      }
    }
    requestView.textContent = [`${method} ${path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', payload ?? ''].join('\n');
    status.textContent = 'Sending…';
    try {
      const response = await fetch(path, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
      const text = await response.text();
      let shown = text;
      try {
        shown = text ? pretty(JSON.parse(text)) : '';
      } catch {
        // Not JSON: shown as it came.
      }
      const lines = [...response.headers].map(([k, v]) => `${k}: ${v}`);
      responseView.textContent = [`HTTP ${response.status} ${response.statusText}`, ...lines, '', shown].join('\n');
      status.className = `result ${response.ok ? 'ok' : 'refused'}`;
      status.textContent = `${response.status} ${response.statusText}${response.headers.get('Location') ? ` — Location: ${response.headers.get('Location')}` : ''}`;
      const created = response.headers.get('Location')?.split('/').pop();
      if (created) id.value = created;
    } catch (error) {
      status.className = 'result refused';
      status.textContent = `The request failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  });
}

const dataElement = document.getElementById('page-data');
if (dataElement?.textContent) {
  const data = JSON.parse(dataElement.textContent) as PageData;
  startValidator(data);
  startConsole(data);
}
