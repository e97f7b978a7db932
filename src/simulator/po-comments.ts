import type { Placement, SimPo } from './catalogue-model.ts';

/** One comment of a PO, as both the comments app and the truth see it. */
export interface SimComment {
  readonly id: string;
  readonly author: string;
  readonly postedAt: string;
  /** Comments carried over from the requisition link it in their timestamp, as on the real page. */
  readonly requisitionId: string | null;
  readonly text: string;
  /** A requisition the text links to (the decoy: it belongs to no PO). */
  readonly linksRequisition: string | null;
  readonly placements: readonly Placement[];
}

const AUTHORS = ['Supplier Contact', 'Maria Buyer', 'Approver Team'];

/**
 * The comments a PO page shows: one per comment slot holding attachments, the PO's plain comments,
 * and last the trap, which links the decoy requisition. The nav's count is the length of this list.
 */
export function commentsOf(po: SimPo, decoyRequisitionId: string): SimComment[] {
  const base = Number(po.id) * 100;
  const slots = [...new Set(po.placements.filter((p) => p.where === 'comment').map((p) => p.slot))].sort((a, b) => a - b);
  const comments: SimComment[] = slots.map((slot) => ({
    id: String(base + slot),
    author: AUTHORS[0] ?? '',
    postedAt: `03/0${String(1 + (slot % 9))}/25 10:1${String(slot % 10)} AM`,
    requisitionId: po.requisitionId,
    text: `Please find the documents attached (${String(slot)}).`,
    linksRequisition: null,
    placements: po.placements.filter((p) => p.where === 'comment' && p.slot === slot),
  }));
  for (let index = 1; index <= po.plainComments; index += 1) {
    comments.push({
      id: String(base + 50 + index),
      author: AUTHORS[index % AUTHORS.length] ?? '',
      postedAt: `04/1${String(index)}/25 02:0${String(index)} PM`,
      requisitionId: po.requisitionId,
      text: index === 1 ? 'Approved, thank you.' : 'Delivery confirmed for next week.',
      linksRequisition: null,
      placements: [],
    });
  }
  comments.push({
    id: String(base + 99),
    author: AUTHORS[1] ?? '',
    postedAt: '05/02/25 09:30 AM',
    requisitionId: null,
    text: 'Replaces an earlier request, see',
    linksRequisition: decoyRequisitionId,
    placements: [],
  });
  return comments;
}

/** File attachments shown in the comments: what "View Attachments (n)" counts. */
export function commentFileCount(comments: readonly SimComment[]): number {
  return comments.reduce((sum, comment) => sum + comment.placements.filter((p) => p.attachment.kind === 'file').length, 0);
}
