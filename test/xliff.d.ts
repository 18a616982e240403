/** The `xliff` package (i18next authors) ships no types; the part the tests use. */
declare module 'xliff/xliff2js' {
  export default function xliff2js(text: string): Promise<XliffJs>;
}
declare module 'xliff/xliff12ToJs' {
  export default function xliff12ToJs(text: string): Promise<XliffJs>;
}

interface XliffJs {
  sourceLanguage: string;
  targetLanguage: string;
  resources: Record<string, Record<string, { source: XliffJsValue; target?: XliffJsValue; note?: string }>>;
}

type XliffJsValue = string | Array<string | Record<string, { id: string; contents?: XliffJsValue }>>;
