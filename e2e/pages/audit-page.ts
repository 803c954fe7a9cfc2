import path from 'node:path';
import type { Locator, Page } from '@playwright/test';

/** Page object for a cluster's audit page. */
export class AuditPage {
  readonly heading: Locator;
  readonly uploadInput: Locator;
  readonly sources: Locator;
  readonly topTable: Locator;
  readonly errors: Locator;
  readonly objectForm: Locator;
  readonly objectTable: Locator;
  readonly policyInput: Locator;
  readonly policyAnalyze: Locator;
  readonly risks: Locator;
  readonly saving: Locator;
  readonly diff: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.uploadInput = page.getByTestId('audit-upload-input');
    this.sources = page.getByTestId('audit-source');
    this.topTable = page.getByTestId('audit-top-table');
    this.errors = page.getByTestId('audit-errors');
    this.objectForm = page.getByTestId('audit-object-form');
    this.objectTable = page.getByTestId('audit-object-table');
    this.policyInput = page.getByTestId('audit-policy-input');
    this.policyAnalyze = page.getByTestId('audit-policy-analyze');
    this.risks = page.getByTestId('audit-risk');
    this.saving = page.getByTestId('audit-policy-saving');
    this.diff = page.getByTestId('audit-policy-diff');
  }

  async open(clusterId: string, query = ''): Promise<void> {
    await this.page.goto(`/clusters/${encodeURIComponent(clusterId)}/audit${query}`);
  }

  async upload(file: string): Promise<void> {
    await this.uploadInput.setInputFiles(path.resolve(file));
  }
}
