/** The simulated PBX's WhatsApp template list (GET message_channel/whatsapp_template). */

export interface YeastarSimTemplate {
  id: number;
  template_id: string;
  name: string;
  parameter_format: 'POSITIONAL' | 'NAMED';
  language: string;
  category: string;
  sub_category?: string;
  components_data: string;
  omnichannel_id: number;
}

/** Seed 000's discount_campaign, verbatim, plus a positional one. */
export const DEFAULT_YEASTAR_TEMPLATES: readonly YeastarSimTemplate[] = [
  {
    id: 1773,
    template_id: '1293546285747227',
    name: 'discount_campaign',
    parameter_format: 'NAMED',
    language: 'en',
    category: 'MARKETING',
    sub_category: 'CUSTOM',
    components_data:
      '[{"type":"HEADER","format":"IMAGE"},{"type":"BODY","text":"Hello! 👋\\n\\nAs a valued {{customertier}} member, we’re excited to share a special {{offertype}} with you! 🎁\\nEnjoy {{offerdetails}}—available until {{expirydate}}.\\n\\nIf you have any questions or want to redeem your offer, simply reply to this message or contact our team.\\n\\nThank you for choosing {{companyname}}! 💙"},{"type":"BUTTONS","buttons":[{"type":"FLOW","text":"Redeem Offer","flow_id":657693363952373,"flow_action":"NAVIGATE","navigate_screen":"SIGN_UP"},{"type":"URL","text":"Visit website","url":"https://test.com/"},{"type":"VOICE_CALL","text":"Contact us"}]}]',
    omnichannel_id: 1,
  },
  {
    id: 1774,
    template_id: '1293546285747228',
    name: 'order_update',
    parameter_format: 'POSITIONAL',
    language: 'en',
    category: 'UTILITY',
    components_data: '[{"type":"BODY","text":"Hi {{1}}, your order {{2}} has shipped."}]',
    omnichannel_id: 1,
  },
];

/** search_value matches names case-insensitively; pages are 1-based. */
export function searchTemplates(
  templates: readonly YeastarSimTemplate[],
  query: Record<string, string>,
): { total_number: number; data: YeastarSimTemplate[] } {
  const needle = (query.search_value ?? '').toLowerCase();
  const matching = templates.filter(
    (t) =>
      t.name.toLowerCase().includes(needle) &&
      (!query.language || t.language === query.language) &&
      (!query.category || t.category === query.category) &&
      (!query.omnichannel_id || String(t.omnichannel_id) === query.omnichannel_id),
  );
  const page = Math.max(1, Number(query.page) || 1);
  const size = Math.min(100, Math.max(1, Number(query.page_size) || 20));
  return { total_number: matching.length, data: matching.slice((page - 1) * size, page * size) };
}
