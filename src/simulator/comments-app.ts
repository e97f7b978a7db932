import { attachmentPath } from './content-disposition.ts';
import { commentFileCount, type SimComment } from './po-comments.ts';

/** One attachment of a comment, as the app receives it. */
export interface CommentAttachmentProps {
  readonly kind: 'file' | 'url' | 'text';
  readonly id: string;
  readonly intent: 'Supplier' | 'Internal';
  /** File: its name and absolute URL; URL: the link; Text: the note. */
  readonly name: string;
  readonly href: string;
  readonly text: string;
}

export interface CommentProps {
  readonly id: string;
  readonly author: string;
  readonly postedAt: string;
  readonly requisitionId: string | null;
  readonly text: string;
  readonly linksRequisition: string | null;
  readonly attachments: readonly CommentAttachmentProps[];
  /** The comment's attachments are still to come (xhrAfterLoad): a spinner shows where they go. */
  readonly pending: boolean;
}

/** What the page hands the comments app (a JSON data island beside the mount). */
export interface CommentsAppProps {
  /** Shown in `span.s-numComments`. */
  readonly count: number;
  /** Shown as "View Attachments (n)". */
  readonly fileCount: number;
  readonly comments: readonly CommentProps[];
  /** Placeholder style: skeleton items stand in for each comment's attachments. */
  readonly placeholders: boolean;
  /** How long after `load` the app swaps the placeholders for the real items; null: no placeholders. */
  readonly placeholderMs: number | null;
  /** The app fails (fault `commentsAppFails`): the mount stays empty. */
  readonly broken: boolean;
}

export interface CommentsPropsOptions {
  readonly baseUrl: string;
  /** Added to both counts (fault `countsMore`). */
  readonly countsExtra: number;
  readonly attachmentsByXhr: boolean;
  readonly placeholderMs: number | null;
  readonly broken: boolean;
}

export function commentsProps(comments: readonly SimComment[], options: CommentsPropsOptions): CommentsAppProps {
  return {
    count: comments.length + options.countsExtra,
    fileCount: commentFileCount(comments) + options.countsExtra,
    comments: comments.map((comment) => {
      const attachments = comment.placements.map(({ attachment }): CommentAttachmentProps => {
        const intent = attachment.intent === 'supplier' ? 'Supplier' : 'Internal';
        switch (attachment.kind) {
          case 'file':
            return { kind: 'file', id: attachment.attId, intent, name: attachment.name, href: options.baseUrl + attachmentPath(attachment.attId, attachment.name), text: '' };
          case 'url':
            return { kind: 'url', id: attachment.attId, intent, name: attachment.url, href: attachment.url, text: '' };
          case 'text':
            return { kind: 'text', id: attachment.attId, intent, name: '', href: '', text: attachment.text };
          default: {
            const unknown: never = attachment;
            throw new Error(`Unknown attachment ${JSON.stringify(unknown)}.`);
          }
        }
      });
      const pending = options.attachmentsByXhr && attachments.length > 0;
      return {
        id: comment.id,
        author: comment.author,
        postedAt: comment.postedAt,
        requisitionId: comment.requisitionId,
        text: comment.text,
        linksRequisition: comment.linksRequisition,
        attachments: pending ? [] : attachments,
        pending,
      };
    }),
    placeholders: options.placeholderMs !== null,
    placeholderMs: options.placeholderMs,
    broken: options.broken,
  };
}

/** The attachments of each comment that has some, keyed by comment id: what the xhrAfterLoad answer carries. */
export function commentAttachmentsById(props: CommentsAppProps): Record<string, readonly CommentAttachmentProps[]> {
  return Object.fromEntries(props.comments.filter((c) => c.attachments.length > 0).map((c) => [c.id, c.attachments]));
}

/**
 * The comments app's markup, shaped on the real page's rendered app. Self-contained on purpose: its
 * source is also the body of the browser bundle (`renderCommentsApp.toString()`; Node strips the
 * types to spaces), so the server-rendered style and the bundle produce the same markup.
 */
export function renderCommentsApp(props: CommentsAppProps): string {
  const esc = (value: string): string => value.replace(/[&<>"']/g, (c) => '&#' + String(c.charCodeAt(0)) + ';');
  const item = (a: CommentAttachmentProps): string => {
    const data = ' data-attachment-id="' + esc(a.id) + '"';
    const action = '<div class="attachment__action"></div>';
    if (a.kind === 'file') {
      return '<li class="attachment attachmentFile s-attachmentFile" aria-label="Attachments File"' + data + '><a href="' + esc(a.href) + '" target="_blank" title="' + esc(a.name) + '" class="" rel="noreferrer noopener">' + esc(a.name) + '</a>' + action + '</li>';
    }
    if (a.kind === 'url') {
      return '<li class="attachment attachmentUrl s-attachmentUrl" aria-label="Attachments Url"' + data + '><a href="' + esc(a.href) + '" target="_blank" title="' + esc(a.href) + '" class="" rel="noreferrer noopener">' + esc(a.href) + '</a>' + action + '</li>';
    }
    return '<li class="attachment attachmentText s-attachmentText" aria-label="Attachments Text"' + data + '><span class="attachment__text">' + esc(a.text) + '</span>' + action + '</li>';
  };
  const attachments = (c: CommentProps): string => {
    if (!c.pending && c.attachments.length === 0) return '';
    const placeholder = '<li class="attachment s-placeholder" aria-busy="true"><span class="skeleton" style="display:inline-block;width:180px;height:12px;background:#e4e4e4"></span></li>';
    const inner = c.pending
      ? '<span class="spinner" aria-busy="true" title="Loading"></span>'
      : '<ul class="attachments__list s-attachmentList">' + (props.placeholders ? placeholder + placeholder : c.attachments.map(item).join('')) + '</ul>';
    return '<div class="form_element commentAttachments"><div role="status">' + inner + '</div><div class="attachmentsField s-attachmentsField"></div></div>';
  };
  const comment = (c: CommentProps): string => {
    const requisition = c.requisitionId === null ? '' : ' <a href="/requisition_headers/' + esc(c.requisitionId) + '">Requisition #' + esc(c.requisitionId) + '</a>';
    const link = c.linksRequisition === null ? '' : ' <a href="/requisition_headers/' + esc(c.linksRequisition) + '">requisition ' + esc(c.linksRequisition) + '</a>.';
    return (
      '<li class="comment s-comment" id="comment_' + esc(c.id) + '"><div class="comments_avatar s-commentAvatar"><div class="default_avatar_thumb"></div></div>' +
      '<div class="comment_author"><span class="name s-commentAuthor">' + esc(c.author) + '</span> <span class="timestamp s-commentedAt">' + esc(c.postedAt) + requisition + '</span></div>' +
      '<div class="comment_text s-commentMessage">' + esc(c.text) + link + '</div>' + attachments(c) + '</li>'
    );
  };
  return (
    '<section class="expandable-section s-expandableSection commentsSection s-commentsSection"><div class="header s-header"><h2>' +
    '<span class="s-headerIcon header_icon headerIcon num_comments s-numComments">' + String(props.count) + '</span><span>Comments</span></h2>' +
    '<button class="expandable-arrow s-expandableArrow" type="button" title="Collapse section Comments" aria-label="Collapse section Comments" aria-expanded="true"></button></div>' +
    '<div class="sectionContent s-sectionContent"><div class="commentHeaderButtons"><button class="s-viewFileAttachment buttonAsLink " type="button"><span>View Attachments (' + String(props.fileCount) + ')</span></button>' +
    '<span>|</span><button type="button" aria-label="Mute Comments" class="s-muteAttachmentNotifications buttonAsLink"><span>Mute Comments</span></button></div>' +
    '<div class="comments_box reactForm add_comment_enabled"><div class="add_comment"><div id="comment_form"><label for="addCommentField" class="group_label">Add Comment</label>' +
    '<textarea id="addCommentField" name="addCommentField" class="s-addCommentField new_comment_field" aria-label="Enter Comment"></textarea></div>' +
    '<div class="pageButtons commentActionButtons"><button id="add_private_comment_link" class="button s-addCommentBtn" type="button"><span>Add Comment</span></button></div></div></div>' +
    '<a name="comments"></a><ul class="comments_list s-commentList">' + props.comments.map(comment).join('') + '</ul></div></section>'
  );
}

/** The id of the JSON island that carries the app's props, beside the mount. */
export const COMMENTS_PROPS_ID = 's-commentsAppProps';

/**
 * The comments app bundle, as the browser loads it near the end of the body. It renders on a later
 * task (as React does), re-renders when the xhrAfterLoad answer brings comment attachments, and
 * swaps placeholders for items some time after `load`. Props marked broken make it throw: the
 * mount stays empty, as when a real bundle fails.
 */
export function commentsBundleSource(): string {
  return `(function(){"use strict";var render=${renderCommentsApp.toString()};
function whenLoaded(f){if(document.readyState==='complete')f();else window.addEventListener('load',f,{once:true});}
function start(){var mount=document.getElementById('s-mountCommentsApp');var data=document.getElementById('${COMMENTS_PROPS_ID}');if(!mount||!data)return;
var props=JSON.parse(data.textContent||'null');if(!props||props.broken)throw new Error('CommentsApp: the comments could not be loaded.');
function draw(){mount.innerHTML=render(props);}
draw();
window.CoupaCommentsApp={attachmentsArrived:function(byId){props=Object.assign({},props,{comments:props.comments.map(function(c){var got=byId[c.id];return c.pending?Object.assign({},c,{attachments:got||[],pending:false}):c;})});draw();}};
if(window.__coupaCommentAttachments)window.CoupaCommentsApp.attachmentsArrived(window.__coupaCommentAttachments);
if(props.placeholders&&props.placeholderMs!==null)whenLoaded(function(){setTimeout(function(){props=Object.assign({},props,{placeholders:false});draw();},props.placeholderMs);});}
setTimeout(start,0);})();
`;
}

/** The small script `section#comments` loads before the mount (the real page has one too). */
export const COMMENTS_SECTION_SOURCE = `window.CommentsAppConfig={mountId:'s-mountCommentsApp',propsId:'${COMMENTS_PROPS_ID}'};\n`;

/** The props as a JSON island that cannot close its script element early. */
export function propsIsland(props: CommentsAppProps): string {
  return `<script type="application/json" id="${COMMENTS_PROPS_ID}">${JSON.stringify(props).replace(/</g, '\\u003c')}</script>`;
}
