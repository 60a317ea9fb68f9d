/**
 * The XML codec of the legacy channel (L-2, L-11.3): a strict parser around
 * `saxes` that builds the rules' element tree, and the escaping the response
 * writer needs. No DTD is ever read, so no entity is ever expanded.
 */
import { FHIR_NAMESPACE, type XmlElement } from '@fgm-is/rules';
import { SaxesParser, type SaxesTagNS } from 'saxes';

/** Nesting deeper than this is refused; the root counts as 1 (L-2, L-11.3). */
const MAX_DEPTH = 32;
/** U+FEFF, the byte-order mark: allowed once, before the document, and removed when the body is decoded (L-11.3). */
const BYTE_ORDER_MARK = 0xfeff;

/** Why a document was refused, as diagnostics a supplier can act on (the parser's own text is never passed on). */
export type XmlRefusal =
  | 'The body is not well-formed XML'
  | 'XML with a DOCTYPE or entity declarations is not accepted'
  | 'Processing instructions other than the XML declaration are not accepted'
  | 'Only UTF-8 is accepted'
  | 'Nesting deeper than 32 elements is not accepted'
  | 'The root element is not in the FHIR namespace'
  | 'The body is empty';

/** @internal A refusal raised from inside a parser callback. */
class Refused extends Error {
  constructor(readonly refusal: XmlRefusal) {
    super(refusal);
  }
}

/** @internal A mutable element while its children are being read. */
interface Building {
  name: string;
  fhir: boolean;
  attributes: Record<string, string>;
  children: Building[];
}

/**
 * A saxes parser with this service's rules attached: every refusal is
 * thrown from a handler and ends the parse at once.
 *
 * @internal
 */
function strictParser(): { parser: SaxesParser<{ xmlns: true }>; root: () => Building | undefined } {
  const parser = new SaxesParser({ xmlns: true });
  const open: Building[] = [];
  let root: Building | undefined;
  parser.on('error', (error) => {
    // saxes reports an undefined entity (`&lol;`) as an error: any entity beyond the five predefined ones lands here.
    throw error instanceof Refused ? error : new Refused('The body is not well-formed XML');
  });
  parser.on('xmldecl', (declaration) => {
    // XML 1.0 only: saxes would otherwise switch to XML 1.1's rules (other characters, other line ends) for a `1.1` declaration.
    if (declaration.version !== '1.0') throw new Refused('The body is not well-formed XML');
    if (declaration.encoding !== undefined && declaration.encoding.toLowerCase() !== 'utf-8') throw new Refused('Only UTF-8 is accepted');
  });
  parser.on('doctype', () => {
    throw new Refused('XML with a DOCTYPE or entity declarations is not accepted');
  });
  parser.on('processinginstruction', () => {
    throw new Refused('Processing instructions other than the XML declaration are not accepted');
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (open.length >= MAX_DEPTH) throw new Refused('Nesting deeper than 32 elements is not accepted');
    const fhir = tag.uri === '' || tag.uri === FHIR_NAMESPACE;
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.uri === '' && attribute.prefix === '' && attribute.local !== 'xmlns') attributes[attribute.local] = attribute.value;
    }
    const element: Building = { name: tag.local, fhir, attributes, children: [] };
    const parent = open.at(-1);
    if (parent) parent.children.push(element);
    else {
      if (!fhir) throw new Refused('The root element is not in the FHIR namespace');
      root = element;
    }
    open.push(element);
  });
  parser.on('closetag', () => {
    open.pop();
  });
  return { parser, root: () => root };
}

/**
 * Parses a legacy message. XML 1.0 and UTF-8 only: the caller decodes the
 * bytes and removes the one byte-order mark allowed (L-11.3), so a U+FEFF
 * still at the start is a second one, and refused (saxes alone would skip
 * it); an XML declaration naming another version (`1.1`) is refused. The five
 * predefined entities and numeric character references are decoded as XML
 * requires; a DOCTYPE, any entity declaration or other entity reference, a
 * processing instruction other than the XML declaration, nesting deeper than
 * 32 and a root outside the FHIR namespace are refused. Comments and CDATA
 * are allowed and ignored.
 */
export function parseXml(text: string): { ok: true; root: XmlElement } | { ok: false; refusal: XmlRefusal } {
  if (text.trim() === '') return { ok: false, refusal: 'The body is empty' };
  if (text.charCodeAt(0) === BYTE_ORDER_MARK) return { ok: false, refusal: 'The body is not well-formed XML' };
  const { parser, root } = strictParser();
  try {
    parser.write(text).close();
  } catch (error) {
    return { ok: false, refusal: error instanceof Refused ? error.refusal : 'The body is not well-formed XML' };
  }
  const parsed = root();
  return parsed ? { ok: true, root: parsed } : { ok: false, refusal: 'The body is not well-formed XML' };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML 1.0 cannot carry
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * A value as an XML attribute's content. Tab, newline and carriage return
 * are written as references, so attribute-value normalisation does not turn
 * them into spaces; a character XML 1.0 cannot carry is a fault of the
 * caller (every value written here is the service's own or was parsed from XML).
 */
export function escapeAttribute(value: string): string {
  if (NOT_XML_CHAR.test(value)) throw new Error('a value holds a character XML 1.0 cannot carry');
  return value.replace(/[&<>"'\t\n\r]/g, (character) => ESCAPES[character] ?? character);
}
