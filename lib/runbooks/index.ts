export { RUNBOOKS, runbookById, stepTitleOf } from './catalog';
export { evaluateCheck } from './checks';
export { renderCommand, withDerived } from './template';
export type * from './types';
