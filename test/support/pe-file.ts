/**
 * Just enough of the Windows PE format to check a cross-built program we cannot run here: its
 * Authenticode signature (the certificate table) and a named resource (Node's NODE_SEA_BLOB).
 * Layout: Microsoft's "PE Format" specification (learn.microsoft.com/windows/win32/debug/pe-format).
 */
export const RT_RCDATA = 10;

interface Section {
  readonly virtualAddress: number;
  readonly virtualSize: number;
  readonly rawSize: number;
  readonly rawOffset: number;
}

export interface PeFile {
  /** x64 programs are PE32+. */
  readonly pe32Plus: boolean;
  /** Bytes of the certificate table (the Authenticode signature); 0 when the program is unsigned. */
  readonly signatureBytes: number;
  /** The data of resource `type`/`name` (first language), or null when there is none. */
  resource(type: number, name: string): Buffer | null;
}

export function readPe(bytes: Buffer): PeFile {
  if (bytes.toString('latin1', 0, 2) !== 'MZ') throw new Error('Not a PE file: no MZ header.');
  const pe = bytes.readUInt32LE(0x3c);
  if (bytes.toString('latin1', pe, pe + 4) !== 'PE\0\0') throw new Error('Not a PE file: no PE signature.');
  const sectionCount = bytes.readUInt16LE(pe + 6);
  const optionalSize = bytes.readUInt16LE(pe + 20);
  const optional = pe + 24;
  const pe32Plus = bytes.readUInt16LE(optional) === 0x20b;
  const directories = optional + (pe32Plus ? 112 : 96);
  const directory = (index: number): { address: number; size: number } => ({
    address: bytes.readUInt32LE(directories + index * 8),
    size: bytes.readUInt32LE(directories + index * 8 + 4),
  });
  const sections: Section[] = [];
  for (let i = 0; i < sectionCount; i += 1) {
    const at = optional + optionalSize + i * 40;
    sections.push({ virtualSize: bytes.readUInt32LE(at + 8), virtualAddress: bytes.readUInt32LE(at + 12), rawSize: bytes.readUInt32LE(at + 16), rawOffset: bytes.readUInt32LE(at + 20) });
  }
  const offsetOf = (rva: number): number => {
    const section = sections.find((s) => rva >= s.virtualAddress && rva < s.virtualAddress + Math.max(s.virtualSize, s.rawSize));
    if (section === undefined) throw new Error(`RVA 0x${rva.toString(16)} is in no section.`);
    return rva - section.virtualAddress + section.rawOffset;
  };

  const resources = directory(2);
  const root = resources.size === 0 ? -1 : offsetOf(resources.address);
  /** The entries of the resource directory at `at`: by id or by name, each a subdirectory or data. */
  const entries = (at: number): { id: number | null; name: string | null; child: number; isDirectory: boolean }[] => {
    const count = bytes.readUInt16LE(at + 12) + bytes.readUInt16LE(at + 14);
    return Array.from({ length: count }, (_, i) => {
      const nameField = bytes.readUInt32LE(at + 16 + i * 8);
      const dataField = bytes.readUInt32LE(at + 16 + i * 8 + 4);
      const named = (nameField & 0x8000_0000) !== 0;
      const nameAt = root + (nameField & 0x7fff_ffff);
      return {
        id: named ? null : nameField,
        name: named ? bytes.toString('utf16le', nameAt + 2, nameAt + 2 + bytes.readUInt16LE(nameAt) * 2) : null,
        child: root + (dataField & 0x7fff_ffff),
        isDirectory: (dataField & 0x8000_0000) !== 0,
      };
    });
  };

  return {
    pe32Plus,
    signatureBytes: directory(4).size,
    resource(type, name) {
      if (root < 0) return null;
      const byType = entries(root).find((entry) => entry.id === type && entry.isDirectory);
      const byName = byType === undefined ? undefined : entries(byType.child).find((entry) => entry.name === name && entry.isDirectory);
      const language = byName === undefined ? undefined : entries(byName.child).find((entry) => !entry.isDirectory);
      if (language === undefined) return null;
      const dataAt = offsetOf(bytes.readUInt32LE(language.child));
      return bytes.subarray(dataAt, dataAt + bytes.readUInt32LE(language.child + 4));
    },
  };
}
