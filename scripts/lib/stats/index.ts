export { importStats, readTextFile, type ImportRequest } from './import-stats.ts';
export { parseStatsText, detectStatsFormat } from './parse-stats.ts';
export { applyXml } from './apply-xml.ts';
export { parseXml, XmlView } from './xml-tree.ts';
export { toJsonText } from './write-json.ts';
