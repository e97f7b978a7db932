import type { Catalogue, Placement, SimAttachment, SimPo, SimRequisition } from '../catalogue-model.ts';
import { attachmentPath } from '../content-disposition.ts';
import { contentTypeOf } from '../file-content.ts';
import type { FileStore } from '../file-store.ts';
import { hash32 } from '../seeded-random.ts';
import { CURRENCY, PAYMENT_TERM, SHIPPING_TERM, UOM, account, address, commodity, coupaTime, user } from './api-filler.ts';
import type { PoNumberForm } from './api-options.ts';
import type { JsonObject } from './json-value.ts';

/** An order line as the API sees it: line `num` of a PO, with the attachments shown on it. */
export interface ApiLine {
  readonly id: number;
  readonly num: number;
  readonly po: SimPo;
  readonly placements: readonly Placement[];
}

/** A comment of a PO (one per comment slot holding attachments). */
export interface ApiComment {
  readonly id: number;
  readonly slot: number;
  readonly po: SimPo;
  readonly placements: readonly Placement[];
}

export interface ApiRecordsOptions {
  readonly baseUrl: string;
  readonly poNumberForm: PoNumberForm;
  readonly commentsEmbedAttachments: boolean;
}

// Line and comment ids are derived from the PO id, so a request names its PO without a lookup table.
const LINES_PER_PO_ID = 1000;
const COMMENTS_PER_PO_ID = 100;
const ITEMS = ['Laptop docking station', 'Office chairs (ergonomic)', 'Consulting services, March', 'Safety gloves, size L', 'Printer toner, black', 'Annual software licence'];

/**
 * The catalogue as Coupa's REST API shows it: full records with the element names of Coupa's
 * OpenAPI spec (hyphenated JSON keys), built on demand from the same catalogue the pages show.
 */
export class ApiRecords {
  readonly #catalogue: Catalogue;
  readonly #store: FileStore;
  readonly #options: ApiRecordsOptions;

  constructor(catalogue: Catalogue, store: FileStore, options: ApiRecordsOptions) {
    this.#catalogue = catalogue;
    this.#store = store;
    this.#options = options;
  }

  /** The POs whose number matches `?po-number=` in the form the instance stores (case ignored). */
  findByNumber(number: string): SimPo[] {
    const wanted = number.trim().toUpperCase();
    if (wanted === '') return [];
    return this.#catalogue.pos.filter((po) => po.page !== 'notFound' && this.poNumber(po).toUpperCase() === wanted);
  }

  /** Every PO the API knows, in catalogue order. */
  allPos(): SimPo[] {
    return this.#catalogue.pos.filter((po) => po.page !== 'notFound');
  }

  /** The PO number the instance stores. */
  poNumber(po: SimPo): string {
    return this.#options.poNumberForm === 'digits' ? po.id : po.poNumber;
  }

  /** A PO the API knows (not-found POs do not exist for the API). */
  po(id: string): SimPo | undefined {
    const po = this.#catalogue.poById.get(id);
    return po === undefined || po.page === 'notFound' ? undefined : po;
  }

  requisition(id: string): SimRequisition | undefined {
    const requisition = this.#catalogue.requisitions.get(id);
    return requisition === undefined || requisition.page === 'notFound' ? undefined : requisition;
  }

  lines(po: SimPo): ApiLine[] {
    const lines: ApiLine[] = [];
    for (let num = 1; num <= po.lineCount; num += 1) {
      lines.push({ id: Number(po.id) * LINES_PER_PO_ID + num, num, po, placements: po.placements.filter((p) => p.where === 'line' && p.slot === num) });
    }
    return lines;
  }

  line(id: string): ApiLine | undefined {
    const po = this.po(String(Math.floor(Number(id) / LINES_PER_PO_ID)));
    return po === undefined ? undefined : this.lines(po).find((line) => String(line.id) === id);
  }

  comments(po: SimPo): ApiComment[] {
    const slots = [...new Set(po.placements.filter((p) => p.where === 'comment').map((p) => p.slot))].sort((a, b) => a - b);
    return slots.map((slot) => ({ id: Number(po.id) * COMMENTS_PER_PO_ID + slot, slot, po, placements: po.placements.filter((p) => p.where === 'comment' && p.slot === slot) }));
  }

  comment(id: string): ApiComment | undefined {
    const po = this.po(String(Math.floor(Number(id) / COMMENTS_PER_PO_ID)));
    return po === undefined ? undefined : this.comments(po).find((comment) => String(comment.id) === id);
  }

  poRecord(po: SimPo): JsonObject {
    const requisition = po.requisitionId === null ? undefined : this.#catalogue.requisitions.get(po.requisitionId);
    const minutes = Number(po.id) - this.#catalogue.firstPoId;
    return {
      id: Number(po.id),
      'po-number': this.poNumber(po),
      status: 'issued',
      type: 'ExternalOrderHeader',
      version: 1,
      'internal-revision': 1,
      'created-at': coupaTime(minutes * 60),
      'updated-at': coupaTime(minutes * 60 + 30),
      'acknowledged-flag': false,
      'acknowledged-at': null,
      classification: 'supplier',
      'change-type': null,
      'confirm-by-hrs': null,
      exported: false,
      'last-exported-at': null,
      'invoice-stop': false,
      'price-hidden': false,
      'payment-method': 'invoice',
      pcard: null,
      'ship-to-attention': 'Receiving dock',
      'transmission-emails': 'orders@supplier.example.com',
      'transmission-method-override': 'supplier_default',
      'transmission-status': 'sent_via_email',
      currency: CURRENCY,
      'payment-term': PAYMENT_TERM,
      'shipping-term': SHIPPING_TERM,
      'ship-to-address': address(po.id),
      'ship-to-user': user(`${po.id}:ship`),
      requester: user(`${po.id}:requester`),
      'created-by': user(`${po.id}:created`),
      'updated-by': user(`${po.id}:updated`),
      supplier: this.#supplierRecord(po),
      'supplier-site': null,
      'requisition-header': requisition === undefined ? null : this.#requisitionHeader(requisition),
      attachments: this.#attachments(po.placements.filter((p) => p.where === 'header')),
      'order-lines': this.lines(po).map((line) => this.lineRecord(line)),
      milestones: [],
      'recurring-rules': [],
      'order-header-confirmations': [],
      'current-integration-history-records': [],
      'user-members': [],
      'user-group-members': [],
    };
  }

  lineRecord(line: ApiLine): JsonObject {
    const key = `${line.po.id}:${String(line.num)}`;
    const quantity = (line.num % 5) + 1;
    const price = 10 + (hash32(`price:${key}`) % 990);
    return {
      id: line.id,
      'line-num': String(line.num),
      description: ITEMS[(Number(line.po.id) + line.num) % ITEMS.length] ?? '',
      type: 'OrderQuantityLine',
      status: 'created',
      quantity: String(quantity),
      price: String(price),
      total: String(quantity * price),
      'order-header-id': Number(line.po.id),
      'order-header-number': this.poNumber(line.po),
      'created-at': coupaTime(line.num),
      'updated-at': coupaTime(line.num + 1),
      'need-by-date': coupaTime(60 * 24 * 30),
      'receipt-required': true,
      received: '0.0',
      invoiced: '0.0',
      'total-invoiced': '0.0',
      'match-type': '3-way',
      'savings-pct': null,
      'source-part-num': `SP-${String(hash32(key) % 100_000)}`,
      'supp-aux-part-num': null,
      'manufacturer-name': null,
      'manufacturer-part-number': null,
      currency: CURRENCY,
      uom: UOM,
      account: account(key),
      commodity: commodity(key),
      supplier: this.#supplierRecord(line.po),
      'created-by': user(`${key}:created`),
      'updated-by': user(`${key}:updated`),
      attachments: this.#attachments(line.placements),
    };
  }

  commentRecord(comment: ApiComment): JsonObject {
    const record: JsonObject = {
      id: comment.id,
      comments: `Please find the documents attached (${String(comment.slot)}).`,
      'commentable-type': 'OrderHeader',
      'commentable-id': Number(comment.po.id),
      'comment-type': null,
      'to-supplier': comment.placements.some((p) => p.attachment.intent === 'supplier'),
      'created-at': coupaTime(comment.slot * 17),
      'updated-at': coupaTime(comment.slot * 17 + 1),
      'created-by': user(`${comment.po.id}:comment:${String(comment.slot)}`),
      'updated-by': user(`${comment.po.id}:comment:${String(comment.slot)}`),
    };
    if (this.#options.commentsEmbedAttachments) record.attachments = this.#attachments(comment.placements);
    return record;
  }

  requisitionRecord(requisition: SimRequisition): JsonObject {
    return { ...this.#requisitionHeader(requisition), attachments: this.#attachments(requisition.placements) };
  }

  attachmentRecord(attachment: SimAttachment): JsonObject {
    const minutes = Number(attachment.attId) - 900_000;
    const base: JsonObject = {
      id: Number(attachment.attId),
      'created-at': coupaTime(minutes),
      'updated-at': coupaTime(minutes),
      intent: attachment.intent === 'supplier' ? 'Supplier' : 'Internal',
      'linked-to': null,
      'created-by': user(`att:${attachment.attId}`),
      'updated-by': user(`att:${attachment.attId}`),
      file: null,
      'file-url': null,
      'file-file-name': null,
      'file-content-type': null,
      'file-file-size': null,
      text: null,
      url: null,
    };
    switch (attachment.kind) {
      case 'file':
        return {
          ...base,
          type: 'AttachmentFile',
          file: `attachment_files/${attachment.attId}/original/${attachment.name}`,
          'file-url': this.#options.baseUrl + attachmentPath(attachment.attId, attachment.name),
          'file-file-name': attachment.name,
          'file-content-type': contentTypeOf(attachment.name),
          // A string, as the spec types it.
          'file-file-size': String(this.#store.digest(attachment).sizeBytes),
        };
      case 'url':
        return { ...base, type: 'AttachmentUrl', url: attachment.url };
      case 'text':
        return { ...base, type: 'AttachmentText', text: attachment.text };
      default: {
        const unknown: never = attachment;
        throw new Error(`Unknown attachment ${JSON.stringify(unknown)}.`);
      }
    }
  }

  /** An attachment by id wherever it is shown, with the PO it belongs to. */
  attachmentAnywhere(attId: string): { readonly attachment: SimAttachment; readonly poId: string | null } | undefined {
    for (const po of this.allPos()) {
      const placement = po.placements.find((p) => p.attachment.attId === attId);
      if (placement !== undefined) return { attachment: placement.attachment, poId: po.id };
    }
    for (const requisition of this.#catalogue.requisitions.values()) {
      const placement = requisition.placements.find((p) => p.attachment.attId === attId);
      if (placement !== undefined) return { attachment: placement.attachment, poId: requisition.poId };
    }
    return undefined;
  }

  /** Distinct attachments of placements, in order (a file placed twice on one list shows once). */
  attachmentRecords(placements: readonly Pick<Placement, 'attachment'>[]): JsonObject[] {
    return this.#attachments(placements);
  }

  #attachments(placements: readonly Pick<Placement, 'attachment'>[]): JsonObject[] {
    const seen = new Set<string>();
    const records: JsonObject[] = [];
    for (const { attachment } of placements) {
      if (seen.has(attachment.attId)) continue;
      seen.add(attachment.attId);
      records.push(this.attachmentRecord(attachment));
    }
    return records;
  }

  #supplierRecord(po: SimPo): JsonObject {
    const id = 20_000 + (hash32(`supplier:${po.supplier}`) % 10_000);
    return {
      id,
      name: po.supplier,
      number: `S${String(id)}`,
      'display-name': po.supplier,
      status: 'active',
      'po-method': 'email',
      'invoice-matching-level': '3-way',
      'primary-address': address(`supplier:${po.supplier}`),
      'primary-contact': { id: id + 1, email: 'contact@supplier.example.com', 'name-given': 'Supplier', 'name-family': 'Contact', 'phone-work': '+351 210 000 000' },
    };
  }

  #requisitionHeader(requisition: SimRequisition): JsonObject {
    return {
      id: Number(requisition.id),
      status: 'ordered',
      'created-at': coupaTime(-60 * 24),
      'updated-at': coupaTime(-60 * 23),
      'submitted-at': coupaTime(-60 * 23),
      justification: 'Replacement of worn equipment',
      'requested-by': user(`req:${requisition.id}`),
      'created-by': user(`req:${requisition.id}`),
      'ship-to-address': address(`req:${requisition.id}`),
      currency: CURRENCY,
    };
  }
}
