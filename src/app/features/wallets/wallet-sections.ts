// The wallet page's sections below its rules, as one lazily loaded chunk: they show together, and
// one chunk splits the bundle less than three (see the wallet page).
export { default as CardPanel } from './components/CardPanel';
export { default as SimulateLoad } from '../autopay/components/SimulateLoad';
export { default as TransactionsSection } from '../transactions/components/TransactionsSection';
