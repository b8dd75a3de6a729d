export const PRODUCT_NAME = 'MassPay Wallet Console';

/** React 19 hoists `<title>` into the document head: every page names itself. */
export const PageTitle = ({ title }: { title?: string }) => <title>{title ? `${title} · ${PRODUCT_NAME}` : PRODUCT_NAME}</title>;
