/**
 * Just enough XML for the legacy channel: writing attribute values, and
 * reading an answer into a tree of FHIR elements (FHIR XML holds every
 * value in a `value` attribute, so text content is not kept). A DOCTYPE is
 * refused and no entity beyond XML's five is ever expanded.
 *
 * @internal
 */
import { FHIR_NAMESPACE, type XmlElement } from '@fgm-is/rules';
import { SaxesParser } from 'saxes';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** `<name value="…"/>` with the value escaped. */
export function valueElement(name: string, value: string): string {
  return `<${name} value="${value.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character)}"/>`;
}

interface Building {
  name: string;
  fhir: boolean;
  attributes: Record<string, string>;
  children: Building[];
}

/** Reads an answer, or `undefined` when it is not well-formed XML with a FHIR root. */
export function readXml(text: string): XmlElement | undefined {
  const parser = new SaxesParser({ xmlns: true });
  const open: Building[] = [];
  let root: Building | undefined;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('doctype', () => {
    throw new Error('DOCTYPE');
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes))
      if (attribute.uri === '' && attribute.prefix === '') attributes[attribute.local] = attribute.value;
    const element: Building = { name: tag.local, fhir: tag.uri === '' || tag.uri === FHIR_NAMESPACE, attributes, children: [] };
    const parent = open.at(-1);
    if (parent) parent.children.push(element);
    else root = element;
    open.push(element);
  });
  parser.on('closetag', () => {
    open.pop();
  });
  try {
    parser.write(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).close();
  } catch {
    return undefined;
  }
  return root?.fhir ? root : undefined;
}

/** The FHIR children called `name`. */
export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((child) => child.fhir && child.name === name) ?? [];
}

/** The `value` at the end of a path of first children: `valueAt(header, 'response', 'code')`. */
export function valueAt(element: XmlElement | undefined, ...names: string[]): string | undefined {
  let current = element;
  for (const name of names) current = children(current, name)[0];
  return current?.attributes.value;
}

/** The resources of a Bundle's entries, in order. */
export function entryResources(bundle: XmlElement): XmlElement[] {
  return children(bundle, 'entry').flatMap((entry) =>
    children(entry, 'resource').flatMap((resource) => resource.children.filter((child) => child.fhir).slice(0, 1)),
  );
}
