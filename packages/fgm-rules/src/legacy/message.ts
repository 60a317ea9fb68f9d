/**
 * A legacy message as a tree of elements (L§2): what an XML parser hands
 * the rules, and the few ways the rules read it. The XML codec itself is
 * not part of this package (L-1); any parser that builds this tree will do.
 */

/** One XML element: its local name, whether it is FHIR, its attributes and child elements. Text content is not kept (FHIR XML holds values in `value` attributes). */
export interface XmlElement {
  /** The local name (no prefix). */
  readonly name: string;
  /** Whether the element is FHIR: no namespace, or the FHIR namespace under any prefix (L-11.3). */
  readonly fhir: boolean;
  /** Attributes without a namespace, by local name. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
}

/** The FHIR namespace. */
export const FHIR_NAMESPACE = 'http://hl7.org/fhir';

/** The FHIR child elements called `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.fhir && child.name === name);
}

/** The one FHIR child called `name`, or `undefined` when there is none or more than one. */
export function onlyChild(element: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!element) return undefined;
  const found = childrenNamed(element, name);
  return found.length === 1 ? found[0] : undefined;
}

/** The `value` attribute of the one child called `name` (a FHIR primitive), or `undefined`. */
export function childValue(element: XmlElement | undefined, name: string): string | undefined {
  const child = onlyChild(element, name);
  return child && Object.hasOwn(child.attributes, 'value') ? child.attributes.value : undefined;
}

/** @internal Follows a path of single children: `path(header, 'source', 'endpoint')`. */
function path(element: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let current = element;
  for (const name of names) current = onlyChild(current, name);
  return current;
}

/** The value attribute at the end of a path of single children. */
export function valueAt(element: XmlElement | undefined, ...names: string[]): string | undefined {
  const last = names.at(-1);
  if (last === undefined) return undefined;
  return childValue(path(element, ...names.slice(0, -1)), last);
}

/** The resource an element wraps: its one FHIR child (`<resource><Flag>…</Flag></resource>`), or `undefined`. */
export function wrappedResource(wrapper: XmlElement | undefined): XmlElement | undefined {
  const resources = wrapper?.children.filter((child) => child.fhir) ?? [];
  return resources.length === 1 ? resources[0] : undefined;
}
