/**
 * An HTML body encapsulated in RTF (MS-OXRTFEX), the way Outlook keeps HTML mails in
 * PR_RTF_COMPRESSED: markup and character references in `{\*\htmltag …}` groups, text as RTF
 * text, every non-ASCII character as `\uN?`. A de-encapsulating reader gets the HTML back; an
 * RTF reader shows the text.
 */
export function encapsulateHtml(html: string): string {
  const parts: string[] = ['{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}}\r\n'];
  // Tags, comments and character references are markup; what lies between them is text.
  const markup = /<!--[\s\S]*?-->|<[^>]*>|&[#a-zA-Z0-9]+;/g;
  let last = 0;
  for (const match of html.matchAll(markup)) {
    parts.push(rtfText(html.slice(last, match.index)));
    parts.push(`{\\*\\htmltag0 ${rtfText(match[0])}}`);
    last = match.index + match[0].length;
  }
  parts.push(rtfText(html.slice(last)), '}');
  return parts.join('');
}

/** RTF's own characters escaped, line breaks as `\par`, everything outside ASCII as `\uN?`. */
function rtfText(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\' || char === '{' || char === '}') out += `\\${char}`;
    else if (char === '\n') out += '\\par\r\n';
    else if (char === '\r') continue;
    else if (code >= 0x20 && code < 0x80) out += char;
    else if (code < 0x20) out += `\\'${code.toString(16).padStart(2, '0')}`;
    else {
      // RTF's \u takes a signed 16-bit number: characters beyond the BMP go as their two surrogates.
      for (const unit of surrogates(char)) out += `\\u${String(unit > 0x7fff ? unit - 0x10000 : unit)}?`;
    }
  }
  return out;
}

function surrogates(char: string): number[] {
  const units: number[] = [];
  for (let i = 0; i < char.length; i += 1) units.push(char.charCodeAt(i));
  return units;
}
