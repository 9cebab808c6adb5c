/**
 * Just enough XML to read a JUnit report: elements, attributes, text and
 * CDATA, the five named entities and numeric ones. Comments, the prolog and
 * doctypes are skipped. Anything malformed (a tag never closed, a closing tag
 * that does not match) is an error: an unreadable report is never a pass.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return NAMED[entity] ?? whole;
  });
}

function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of text.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    attributes[match[1] ?? ""] = decodeEntities(match[3] ?? match[4] ?? "");
  }
  return attributes;
}

/** The document's root element; throws with a reason when the text is not well-formed enough to trust. */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  const token =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  let last = 0;
  for (const match of xml.matchAll(token)) {
    const current = stack[stack.length - 1] as XmlElement;
    current.text += decodeEntities(xml.slice(last, match.index));
    last = (match.index ?? 0) + match[0].length;
    if (match[1] !== undefined) {
      current.text += match[1];
      continue;
    }
    const name = match[3];
    if (!name) continue; // comment, prolog, doctype
    if (match[2] === "/") {
      if (current.name !== name) throw new Error(`</${name}> closes <${current.name}>`);
      stack.pop();
      continue;
    }
    const element: XmlElement = { name, attributes: parseAttributes(match[4] ?? ""), children: [], text: "" };
    current.children.push(element);
    if (match[5] !== "/") stack.push(element);
  }
  if (/<[\w/]/.test(xml.slice(last))) throw new Error("a tag is cut off");
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]?.name}> is never closed`);
  const top = root.children[0];
  if (!top) throw new Error("no element");
  return top;
}
