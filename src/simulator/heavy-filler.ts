import { SeededRandom } from './seeded-random.ts';

/**
 * Bulk that makes a simulated page weigh what a real Coupa page weighs (~170 KB): a mega-menu,
 * hidden inline-edit templates and a data island. Built once per simulator; it holds none of the
 * classes the tool reads (no attachments, no headings, no requisition links with ids).
 */
export function buildHeavyFiller(targetChars: number): string {
  const random = new SeededRandom('filler');
  const menu: string[] = ['<nav id="mega_menu" class="mega_menu" hidden><ul>'];
  const sections = ['Requests', 'Orders', 'Invoices', 'Suppliers', 'Contracts', 'Expenses', 'Inventory', 'Sourcing', 'Reports', 'Setup'];
  for (const section of sections) {
    menu.push(`<li class="mega_menu_section"><span>${section}</span><ul>`);
    for (let i = 1; i <= 12; i += 1) menu.push(`<li><a class="mega_menu_link" href="/${section.toLowerCase()}/view_${String(i)}">${section} view ${String(i)}</a></li>`);
    menu.push('</ul></li>');
  }
  menu.push('</ul></nav>');
  const parts = [menu.join('')];
  let length = parts[0]?.length ?? 0;
  let index = 0;
  while (length < targetChars) {
    index += 1;
    const block =
      `<div class="inline_edit_template" data-template="field_${String(index)}" hidden><form class="inline_edit_form" action="#" method="post">` +
      `<label for="custom_field_${String(index)}">Custom field ${String(index)}</label>` +
      `<input type="text" id="custom_field_${String(index)}" name="order_header[custom_field_${String(index)}]" value="${random.letters(24)}">` +
      `<select name="order_header[lookup_${String(index)}]"><option>Option A</option><option>Option B</option><option>Option C</option></select>` +
      `<p class="help_text">${random.letters(160)}</p><button type="button" class="button s-save">Save</button></form></div>`;
    parts.push(block);
    length += block.length;
  }
  return parts.join('\n');
}

/** Keeps the page busy for about two seconds after DOMContentLoaded, as Coupa's bundles do. */
export const BUSY_SCRIPT = `<script>document.addEventListener('DOMContentLoaded',function(){var n=0;var el=document.getElementById('background_activity');
var t=setInterval(function(){n+=1;if(el)el.setAttribute('data-ticks',String(n));if(n>=20)clearInterval(t);},100);});</script>`;
