/**
 * Checks of seed 002's interactive and catalog content kinds, as far as the page and WhatsApp's
 * published limits go (reply buttons: 1–3, unique ids; list: 1–10 rows in all; multi-product: up
 * to 30 items). The error codes are ours: Connectly's for these cases are not documented.
 */
import { isRecord } from '../../src/providers/answer-utils.js';
import { connectlyError } from './connectly-validation.js';
import type { SimAnswer } from './types.js';

const invalid = (message: string): SimAnswer => connectlyError(400, 'ERROR_CODE_INVALID_REQUEST', message); // our code

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** The first problem with the rich content of `message`, or undefined. */
export function validateRichContent(message: Record<string, unknown>): SimAnswer | undefined {
  const { location, listMessage, replyButtonMessage, singleProductMessage, multiProductMessage } = message;
  if (location !== undefined) {
    if (!isRecord(location) || typeof location.latitude !== 'number' || typeof location.longitude !== 'number') {
      return invalid('location.latitude and location.longitude must be numbers');
    }
    if (Math.abs(location.latitude) > 90 || Math.abs(location.longitude) > 180) return invalid('location is out of range');
  }
  if (listMessage !== undefined) {
    if (!isRecord(listMessage) || !isRecord(listMessage.button) || !nonEmpty(listMessage.button.text)) return invalid('listMessage.button.text is required');
    const sections = Array.isArray(listMessage.sections) ? listMessage.sections : [];
    const rows = sections.flatMap((s: unknown) => (isRecord(s) && Array.isArray(s.rows) ? (s.rows as unknown[]) : []));
    if (sections.length === 0 || rows.length === 0 || rows.length > 10) return invalid('listMessage needs 1 to 10 rows in its sections');
    if (!rows.every((r) => isRecord(r) && nonEmpty(r.id) && nonEmpty(r.text))) return invalid('every list row needs an id and a text');
  }
  if (replyButtonMessage !== undefined) {
    if (!nonEmpty(message.text)) return invalid('a reply button message needs message.text');
    const buttons = isRecord(replyButtonMessage) && Array.isArray(replyButtonMessage.buttons) ? replyButtonMessage.buttons : [];
    if (buttons.length === 0 || buttons.length > 3) return invalid('replyButtonMessage takes 1 to 3 buttons');
    const ids = buttons.map((b: unknown) => (isRecord(b) ? b.id : undefined));
    if (!buttons.every((b: unknown) => isRecord(b) && nonEmpty(b.id) && nonEmpty(b.text)) || new Set(ids).size !== ids.length) {
      return invalid('every button needs a unique id and a text');
    }
  }
  if (singleProductMessage !== undefined) {
    const p = singleProductMessage;
    if (!isRecord(p) || !nonEmpty(p.catalogId) || !isRecord(p.productItem) || !nonEmpty(p.productItem.productRetailerId)) {
      return invalid('singleProductMessage needs catalogId and productItem.productRetailerId');
    }
  }
  if (multiProductMessage !== undefined) {
    const m = multiProductMessage;
    if (!isRecord(m) || !nonEmpty(m.catalogId)) return invalid('multiProductMessage.catalogId is required');
    const sections = Array.isArray(m.sections) ? m.sections : [];
    const items = sections.flatMap((s: unknown) => (isRecord(s) && Array.isArray(s.productItems) ? (s.productItems as unknown[]) : []));
    if (items.length === 0 || items.length > 30) return invalid('multiProductMessage needs 1 to 30 product items');
    if (!items.every((i) => isRecord(i) && nonEmpty(i.productRetailerId))) return invalid('every product item needs a productRetailerId');
  }
  return undefined;
}
