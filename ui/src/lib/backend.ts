// The one place the UI talks to Rust. Every `invoke` goes through `call`, so tests can stand in
// for the shell with `mockIPC` and errors always arrive as a `BackendError` with a stable code.
import { Channel, invoke } from '@tauri-apps/api/core';
import type {
  RatesView,
  ApiError,
  AuditQuery,
  AuditView,
  Granularity,
  ErrorCode,
  MerchantSummary,
  OpenProgress,
  AccuracyBy,
  AccuracyReport,
  PlannerData,
  PlannerPage,
  PlannerQuery,
  PlannerRow,
  LineEdit,
  LineDecision,
  LineRef,
  RunEvent,
  PoStatus,
  PoView,
  Exported,
  ScenarioView,
  StoreView,
  ConnectForm,
  ConnectionCheck,
  OutboxView,
  EvaluationView,
  ChangeInput,
  SkuDetail,
  SupplierEdit,
  SupplierView,
  SupplierForm,
  MergeForm,
  MergedView,
  DeletedView,
  AssignForm,
  AssignedView,
  SuggestionView,
  AcceptForm,
  AcceptedView,
  CatalogImportView,
  PlanSettingsForm,
  SettingsView,
  SavedFile,
  PoLineEdit,
  MerchantFiles,
  NewMerchant,
  Checklist,
  DefaultLocationView,
  ReattributedView,
  ExceptionFilter,
  ExceptionList,
  Mute,
  ApprovalPreview,
  ReviewState,
  TransferLine,
  ReceiptForm,
  PoReceipt,
  SupplierReport,
  FileRequest,
  FileImport,
  BatchView,
  UndoneView,
  ExportWhat,
  ExportAs,
  PromotionInput,
  PromotionList,
  OverrideInput,
  OverrideList,
  ScheduleOutcome,
  ScheduleStatus,
  Comparison,
  Kpi,
  KpiDetail,
  KpiReport,
  WritebackPreview,
  WritebackPushReport,
} from './bindings';

export class BackendError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
  }
}

function isApiError(e: unknown): e is ApiError {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

export function toBackendError(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  if (isApiError(e)) return new BackendError(e.code, e.message);
  return new BackendError('internal', e instanceof Error ? e.message : String(e));
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toBackendError(e);
  }
}

/** What to tell the planner to do about an error, by its code. */
export function remedy(code: ErrorCode): string {
  switch (code) {
    case 'not_found':
      return 'It may have been removed; refresh and try again.';
    case 'bad_input':
      return 'Correct the highlighted value and try again.';
    case 'database':
      return 'Check the data folder in Settings, or start again on the demo merchant.';
    case 'busy':
      return 'Another Forestock task is using the database; try again in a moment.';
    case 'cancelled':
      return 'Nothing was changed.';
    case 'remote':
      return 'Check the connection and credentials under Connect; you can keep working on the last synced data.';
    case 'internal':
      return 'This is a bug; the message above helps us find it.';
  }
}

function channel<T>(onMessage: (m: T) => void): Channel<T> {
  const ch = new Channel<T>();
  ch.onmessage = onMessage;
  return ch;
}

export const backend = {
  /** Open the merchant chosen at start (creating the demo for a new `--db` file, with
   * progress); `null` on first run, when no merchant has been chosen yet. */
  openMerchant: (onProgress: (p: OpenProgress) => void = () => {}) =>
    call<MerchantSummary | null>('open_merchant', { onProgress: channel(onProgress) }),
  /** The open file, the recent merchant files (with notes on what was dropped) and defaults. */
  merchantFiles: () => call<MerchantFiles>('merchant_files'),
  /** Open another merchant database; a bad file is refused and the open one stays. */
  switchMerchant: (path: string) => call<MerchantSummary>('switch_merchant', { path }),
  /** "Set up my shop": a new merchant database, then opened. */
  createMerchant: (form: NewMerchant) => call<MerchantSummary>('create_merchant', { form }),
  /** "Explore the demo shop": the demo merchant, created on first use (with progress). */
  openDemo: (onProgress: (p: OpenProgress) => void = () => {}) =>
    call<MerchantSummary>('open_demo', { onProgress: channel(onProgress) }),
  /** The native open dialog; `null` when cancelled. */
  pickMerchantFile: () => call<string | null>('pick_merchant_file'),
  setupChecklist: () => call<Checklist>('setup_checklist'),
  defaultLocations: () => call<DefaultLocationView[]>('default_locations'),
  setDefaultLocation: (storeId: number, location: string) =>
    call<ReattributedView>('set_default_location', { storeId, location }),
  listSuppliers: () => call<SupplierView[]>('list_suppliers'),
  updateSupplier: (edit: SupplierEdit) => call<SupplierView>('update_supplier', { edit }),
  createSupplier: (form: SupplierForm) => call<SupplierView>('create_supplier', { form }),
  mergeSuppliers: (form: MergeForm) => call<MergedView>('merge_suppliers', { form }),
  deleteSupplier: (id: number, reason: string) => call<DeletedView>('delete_supplier', { id, reason }),
  assignSkus: (form: AssignForm) => call<AssignedView>('assign_skus', { form }),
  suggestSuppliers: () => call<SuggestionView[]>('suggest_suppliers'),
  acceptSuggestions: (form: AcceptForm) => call<AcceptedView>('accept_suggestions', { form }),
  /** Preview (`dryRun`) or import a supplier catalog CSV's text: all rows or none. */
  importSupplierCatalog: (csv: string, dryRun: boolean) =>
    call<CatalogImportView>('import_supplier_catalog', { csv, dryRun }),
  /** Preview (`request.dry_run`) or import a history, stock or promotion file by its path. */
  importFile: (request: FileRequest) => call<FileImport>('import_file', { request }),
  importBatches: () => call<BatchView[]>('import_batches'),
  undoImportBatch: (id: number) => call<UndoneView>('undo_import_batch', { id }),
  /** The native open dialog; `null` when cancelled. */
  pickImportFile: () => call<string | null>('pick_import_file'),
  /** Export history, forecast, plan, POs or the audit log (a save dialog unless exports go to a fixed folder). */
  exportData: (what: ExportWhat, format: ExportAs) => call<SavedFile>('export_data', { what, format }),
  getSettings: () => call<SettingsView>('get_settings'),
  saveSettings: (form: PlanSettingsForm) => call<SettingsView>('save_settings', { form }),
  /** Exchange rates for suppliers' currencies (merchant-currency units per 1 unit), and those still without one. */
  listRates: () => call<RatesView>('list_rates'),
  /** Enter or change a rate; validated and audited in the library. */
  setRate: (currency: string, rate: number) => call<RatesView>('set_rate', { currency, rate }),
  deleteRate: (currency: string) => call<RatesView>('delete_rate', { currency }),
  listAudit: (query: AuditQuery) => call<AuditView[]>('list_audit', { query }),
  /** Export the audit entries the query matches to CSV (all of them; the limit is ignored). */
  exportAudit: (query: AuditQuery) => call<SavedFile>('export_audit', { query }),
  plannerRows: () => call<PlannerData>('planner_rows'),
  /** One SKU×location with its chart, history daily or summed per ISO week. */
  skuDetail: (variantId: number, locationId: number, granularity: Granularity = 'daily') =>
    call<SkuDetail>('sku_detail', { variantId, locationId, granularity }),
  /** One window of the planner grid (search, filters, sort and grouping applied in the library). */
  plannerPage: (query: PlannerQuery) => call<PlannerPage>('planner_page', { query }),
  /** Forecast against actual over the last `runs` stored forecast runs, grouped `by`. */
  forecastAccuracy: (by: AccuracyBy, runs: number) => call<AccuracyReport>('forecast_accuracy', { by, runs }),
  /** Save one SKU×location's chart as PNG or SVG (a save dialog unless exports go to a fixed folder). */
  exportChart: (variantId: number, locationId: number, format: 'png' | 'svg', granularity: Granularity = 'daily') =>
    call<SavedFile>('export_chart', { variantId, locationId, format, granularity }),
  overrideLine: (edit: LineEdit) => call<PlannerRow>('override_line', { edit }),
  decideLines: (decision: LineDecision) => call<number>('decide_lines', { decision }),
  /** Sync → forecast → plan; resolves when the run ends (finished or cancelled). */
  syncAndRun: (onEvent: (e: RunEvent) => void) => call<null>('sync_and_run', { onEvent: channel(onEvent) }),
  cancelRun: () => call<null>('cancel_run'),
  listPos: () => call<PoView[]>('list_pos'),
  draftPos: () => call<PoView[]>('draft_pos'),
  setPoStatus: (id: number, to: PoStatus, reason: string) => call<PoView>('set_po_status', { id, to, reason }),
  exportPo: (id: number) => call<Exported>('export_po', { id }),
  /** Change a draft PO line's quantity, or remove it with `quantity: null`; a reason is required. */
  editPoLine: (edit: PoLineEdit) => call<PoView>('edit_po_line', { edit }),
  listStores: () => call<StoreView[]>('list_stores'),
  /** Verify and connect a store; the form's secret goes to the OS keychain on the Rust side. */
  connectStore: (form: ConnectForm) => call<StoreView>('connect_store', { form }),
  testStore: (id: number) => call<ConnectionCheck>('test_store', { id }),
  removeStore: (id: number) => call<StoreView>('remove_store', { id }),
  listOutbox: () => call<OutboxView[]>('list_outbox'),
  /** Queue an approved PO for NetSuite and push the queue; returns the whole outbox. */
  pushPo: (id: number) => call<OutboxView[]>('push_po', { id }),
  /** What a write-back would send to the store, per SKU; writes nothing. */
  writebackPreview: (store: number) => call<WritebackPreview>('writeback_preview', { store }),
  /** Approve the preview read (its content hash); refused if the plan changed since. */
  writebackApprove: (store: number, hash: string) => call<WritebackPreview>('writeback_approve', { store, hash }),
  /** Push the approved batch: only values that differ from what was last written. */
  writebackPush: (store: number) => call<WritebackPushReport>('writeback_push', { store }),
  listScenarios: () => call<ScenarioView[]>('list_scenarios'),
  createScenario: (name: string, changes: ChangeInput[]) =>
    call<[ScenarioView, EvaluationView]>('create_scenario', { name, changes }),
  evaluateScenario: (id: number) => call<EvaluationView>('evaluate_scenario', { id }),
  finishScenario: (id: number, apply: boolean) => call<null>('finish_scenario', { id, apply }),
  /** The baseline and each scenario side by side (per currency and per supplier). */
  compareScenarios: (ids: number[]) => call<Comparison>('compare_scenarios', { ids }),
  kpiReport: () => call<KpiReport>('kpi_report'),
  /** The lines behind one KPI; their values add up to it. */
  kpiLines: (kpi: Kpi) => call<KpiDetail>('kpi_lines', { kpi }),
  listExceptions: (filter: ExceptionFilter) => call<ExceptionList>('list_exceptions', { filter }),
  /** Hide an alert until `until` (YYYY-MM-DD, after today); a reason is required. */
  snoozeAlert: (id: number, until: string, reason: string) => call<Mute>('snooze_alert', { id, until, reason }),
  /** Hide an alert until its inputs change; a reason is required. */
  dismissAlert: (id: number, reason: string) => call<Mute>('dismiss_alert', { id, reason }),
  /** Bring back a snoozed or dismissed alert. */
  unmuteAlert: (id: number) => call<Mute>('unmute_alert', { id }),
  approveAlertLine: (id: number) => call<number>('approve_alert_line', { id }),
  /** What approving every line within the review thresholds would do; changes nothing. */
  previewApproveAll: () => call<ApprovalPreview>('preview_approve_all'),
  approveAll: () => call<ApprovalPreview>('approve_all'),
  reviewState: () => call<ReviewState>('review_state'),
  /** Undo the last action (an approve-all is one); returns the lines restored. */
  undoLast: () => call<number>('undo_last'),
  lockLines: (decision: LineDecision) => call<number>('lock_lines', { decision }),
  /** Unlock lines: the next plan recommends their quantity again. */
  unlockLines: (lines: LineRef[]) => call<number>('unlock_lines', { lines }),
  listTransfers: () => call<TransferLine[]>('list_transfers'),
  decideTransfers: (ids: number[], approve: boolean, reason: string) => call<number>('decide_transfers', { ids, approve, reason }),
  /** Export the approved transfers of one pair of locations as CSV (save dialog). */
  exportTransfers: (from: string, to: string) => call<SavedFile>('export_transfers', { from, to }),
  receivePo: (receipt: ReceiptForm) => call<PoView>('receive_po', { receipt }),
  poReceipts: (id: number) => call<PoReceipt[]>('po_receipts', { id }),
  supplierReport: () => call<SupplierReport>('supplier_report'),
  /** The promotion calendar, with the latest plan's forecast over each promotion's days. */
  listPromotions: () => call<PromotionList>('list_promotions'),
  /** Add a promotion (`id` null) or change one; the calendar afterwards. */
  savePromotion: (id: number | null, input: PromotionInput) => call<PromotionList>('save_promotion', { id, input }),
  deletePromotion: (id: number) => call<PromotionList>('delete_promotion', { id }),
  /** The planner's forecast overrides. */
  listForecastOverrides: () => call<OverrideList>('list_forecast_overrides'),
  /** Add a forecast override (`id` null) or change one; the list afterwards. */
  saveForecastOverride: (id: number | null, input: OverrideInput) => call<OverrideList>('save_forecast_override', { id, input }),
  deleteForecastOverride: (id: number) => call<OverrideList>('delete_forecast_override', { id }),
  /** Whether the nightly run is installed as a user timer, with its files. */
  nightlyStatus: () => call<ScheduleStatus>('nightly_status'),
  /** Install the nightly run at `at` (HH:MM); the files written and what was run. */
  installNightly: (at: string) => call<ScheduleOutcome>('install_nightly', { at }),
  uninstallNightly: () => call<ScheduleOutcome>('uninstall_nightly'),
};
