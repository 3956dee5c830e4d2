/**
 * The event reports the simulated PBX posts: 30032 (sending result) after an accepted send and
 * 30031 (new message) for a simulated customer message. Fields per the event pages (notes/
 * providers.md): `{type, sn, msg: {session_id, msg_id, delivery_status, sender, msg_type, msg_body,
 * msg_files, send_time, receive_time, send_error, send_error_msg, tag, whatsapp_msg_param}}`, times
 * in Unix seconds. `sender`'s fields are not documented: ours (`{number}`) are UNVERIFIED.
 */

export interface YeastarReceiptFailure {
  send_error: string;
  send_error_msg?: string;
}

export interface YeastarEventReport {
  type: number;
  sn: string;
  msg: Record<string, unknown>;
}

/** 30032 for an accepted message/send: delivery_status 1, or 2 with `failure`. */
export function yeastarSendingResult(
  sn: string,
  sent: { msgId: number; sessionId: number; body: Record<string, unknown>; now: number; failure?: YeastarReceiptFailure },
): YeastarEventReport {
  const seconds = Math.floor(sent.now / 1000);
  return {
    type: 30032,
    sn,
    msg: {
      session_id: sent.sessionId,
      msg_id: sent.msgId,
      delivery_status: sent.failure ? 2 : 1,
      sender: { number: sent.body.did_number ?? '' },
      msg_type: 0,
      msg_body: typeof sent.body.msg_body === 'string' ? sent.body.msg_body : '',
      msg_files: sent.body.files === undefined ? '' : JSON.stringify(sent.body.files),
      send_time: seconds,
      send_error: sent.failure?.send_error ?? '',
      send_error_msg: sent.failure?.send_error_msg ?? '',
      ...(typeof sent.body.tag === 'string' ? { tag: sent.body.tag } : {}),
      ...(typeof sent.body.whatsapp_msg_param === 'string' ? { whatsapp_msg_param: sent.body.whatsapp_msg_param } : {}),
    },
  };
}

/** 30031 for a message a customer sent. */
export function yeastarInboundEvent(
  sn: string,
  inbound: { msgId: number; sessionId: number; from: string; text: string; at: Date },
): YeastarEventReport {
  const seconds = Math.floor(inbound.at.getTime() / 1000);
  return {
    type: 30031,
    sn,
    msg: {
      session_id: inbound.sessionId,
      msg_id: inbound.msgId,
      delivery_status: 1,
      sender: { number: inbound.from },
      msg_type: 0,
      msg_body: inbound.text,
      msg_files: '',
      send_time: seconds,
      receive_time: seconds,
    },
  };
}
