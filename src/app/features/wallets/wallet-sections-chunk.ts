// A bundle-splitting module, no feature of its own: the wallet page's sections below its rules as one
// lazily loaded chunk (`import()` in the wallet page). They show together, and one chunk splits the
// bundle less than three.
export { default as CardPanel } from './components/CardPanel';
export { default as SimulateLoad } from '../autopay/components/SimulateLoad';
export { default as TransactionsSection } from '../transactions/components/TransactionsSection';
