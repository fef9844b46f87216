/**
 * Test support: small queries over the HTML the pages render. Hono's renderer always
 * double-quotes attribute values and escapes `"` inside them, which is what makes a regular
 * expression enough here. It is NOT a general HTML parser.
 */

export type Attributes = Record<string, string>;

const entities: Readonly<Record<string, string>> = { lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' };

/** Undoes the renderer's escaping (`&lt; &gt; &quot; &#39; &amp;`). */
export function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => entities[name] ?? '');
}

/** The decoded attributes of every `<tag ...>` start tag, in document order. */
export function findTags(html: string, tag: string): Attributes[] {
  const found: Attributes[] = [];
  for (const match of html.matchAll(new RegExp(`<${tag}(\\s[^>]*)?>`, 'gi'))) {
    const attributes: Attributes = {};
    for (const attr of (match[1] ?? '').matchAll(/([^\s=/]+)(?:="([^"]*)")?/g)) {
      attributes[attr[1]!.toLowerCase()] = decodeEntities(attr[2] ?? '');
    }
    found.push(attributes);
  }
  return found;
}

/**
 * The page's visible text: head, scripts and icons dropped, phrasing tags (`a strong em b`)
 * removed, other tags read as a space, entities decoded, whitespace collapsed.
 */
export function visibleText(html: string): string {
  const body = html.replace(/<head>[\s\S]*<\/head>/, '').replace(/<(script|svg)\b[\s\S]*?<\/\1>/g, ' ');
  return decodeEntities(body.replace(/<\/?(a|strong|em|b)\b[^>]*>/g, '').replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text inside the first element with `attribute="value"` (e.g. `role="alert"`), or undefined. */
export function textOfElementWith(html: string, attribute: string, value: string): string | undefined {
  const match = new RegExp(`<(\\w+)[^>]*\\s${attribute}="${value}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return match ? visibleText(match[2]!) : undefined;
}

/** Name -> value of every `<input type="hidden">`. */
export function hiddenInputs(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const input of findTags(html, 'input')) {
    if (input.type === 'hidden' && input.name !== undefined) fields[input.name] = input.value ?? '';
  }
  return fields;
}

/** The user-facing inputs (not hidden, not buttons) with no `<label for>` pointing at their id. */
export function unlabelledInputs(html: string): Attributes[] {
  const labelled = new Set(findTags(html, 'label').map((label) => label.for));
  return findTags(html, 'input').filter(
    (input) => input.type !== 'hidden' && input.type !== 'submit' && !(input.id && labelled.has(input.id)),
  );
}
