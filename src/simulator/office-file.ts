import { strToU8, zipSync, type Zippable } from 'fflate';
import type { SeededRandom } from './seeded-random.ts';

export interface OfficeContent {
  readonly title: string;
  readonly lines: readonly string[];
  readonly targetSizeBytes: number;
  readonly random: SeededRandom;
}

// Built from local-time parts on purpose: fflate writes zip times in local time, so this gives
// the same bytes in every time zone.
const ZIP_TIME = new Date(2024, 0, 15, 9, 30, 0);

const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const OFFICE_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A minimal Word document (opens in Word and LibreOffice): the lines as paragraphs. */
export function makeDocx(content: OfficeContent): Uint8Array {
  return padToSize(content, (padding) => ({
    '[Content_Types].xml': xml(
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '</Types>',
    ),
    '_rels/.rels': xml(`<Relationships xmlns="${RELS_NS}"><Relationship Id="rId1" Type="${OFFICE_REL}/officeDocument" Target="word/document.xml"/></Relationships>`),
    'word/document.xml': xml(
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
        [content.title, ...content.lines, padding].map((line) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(line)}</w:t></w:r></w:p>`).join('') +
        '</w:body></w:document>',
    ),
  }));
}

/** A minimal Excel workbook: one sheet, one line per row, strings inline (no shared-strings part). */
export function makeXlsx(content: OfficeContent): Uint8Array {
  return padToSize(content, (padding) => {
    const rows = [content.title, ...content.lines, padding].map(
      (line, index) => `<row r="${String(index + 1)}"><c r="A${String(index + 1)}" t="inlineStr"><is><t>${escapeXml(line)}</t></is></c></row>`,
    );
    return {
      '[Content_Types].xml': xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
          '</Types>',
      ),
      '_rels/.rels': xml(`<Relationships xmlns="${RELS_NS}"><Relationship Id="rId1" Type="${OFFICE_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
      'xl/workbook.xml': xml(
        `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${OFFICE_REL}">` +
          '<sheets><sheet name="Quote" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
      'xl/_rels/workbook.xml.rels': xml(
        `<Relationships xmlns="${RELS_NS}"><Relationship Id="rId1" Type="${OFFICE_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
      'xl/worksheets/sheet1.xml': xml(
        `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData></worksheet>`,
      ),
    };
  });
}

/**
 * Entries are stored uncompressed, so the zip grows byte for byte with the padding text:
 * measure once without padding, then add exactly what is missing.
 */
function padToSize(content: OfficeContent, entries: (padding: string) => Zippable): Uint8Array {
  const zip = (padding: string) => zipSync(entries(padding), { level: 0, mtime: ZIP_TIME });
  const bare = zip('');
  const missing = content.targetSizeBytes - bare.length;
  return missing > 0 ? zip(content.random.letters(missing)) : bare;
}

function xml(body: string): Uint8Array {
  return strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${body}`);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${String(char.charCodeAt(0))};`);
}
