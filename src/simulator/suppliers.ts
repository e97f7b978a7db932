/** Supplier names shown on PO pages, with the addresses that go in the `title`. */
export const SUPPLIERS = [
  'Acme Industrial Supply',
  'Globex Corporation',
  'Initech Services GmbH',
  'Umbrella Logistics Ltd',
  'Stark Components Inc.',
  'Wayne Facilities Management',
  'Müller & Söhne KG',
  'Soylent Foods S.A.',
  'Tyrell Engineering',
  'Cyberdyne Systems',
  'Hooli Cloud Services',
  'Vandelay Industries',
  'Papelaria São João Ltda',
  '株式会社サンプル商事',
] as const;

/** Characters that are unsafe in folder names on every platform. */
export const UNSAFE_SUPPLIER = 'A&B / Co: "Ltd"';

/** A PO whose supplier field is empty (the report must still name a folder). */
export const EMPTY_SUPPLIER = '';

export const CITIES = ['Lisboa', 'Berlin', 'Chicago', 'Osaka', 'São Paulo', 'Leeds'] as const;
