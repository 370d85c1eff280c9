import { describe, expect, it } from 'vitest';
import { VouchError } from '../core/errors.js';
import { sampleScanResult } from './fixtures.js';
import {
  formatters,
  isReportFormat,
  REPORT_FORMATS,
  renderJson,
  renderReport,
  reportFormatForPath,
} from './index.js';

describe('report registry', () => {
  it('registers exactly the five formats', () => {
    expect(Object.keys(formatters).sort()).toEqual(['html', 'json', 'junit', 'sarif', 'table']);
    expect([...REPORT_FORMATS].sort()).toEqual(Object.keys(formatters).sort());
  });

  it('renders every format to non-empty text', () => {
    const scan = sampleScanResult();
    for (const format of REPORT_FORMATS) {
      expect(renderReport(format, scan).length, format).toBeGreaterThan(100);
    }
  });

  it('delegates to the format writer with the options', () => {
    const scan = sampleScanResult();
    const options = { sensitiveVariables: ['banner_text'] };
    expect(renderReport('json', scan, options)).toBe(renderJson(scan, options));
  });

  it('rejects an unknown format with a message listing the known ones', () => {
    const render = () => renderReport('pdf', sampleScanResult());
    expect(render).toThrow(VouchError);
    expect(render).toThrow('unknown report format "pdf" (known: table, json, html, junit, sarif)');
    try {
      render();
    } catch (error) {
      expect((error as VouchError).code).toBe('UNKNOWN_REPORT_FORMAT');
    }
  });

  it('recognises formats and infers them from file names', () => {
    expect(isReportFormat('sarif')).toBe(true);
    expect(isReportFormat('toString')).toBe(false);
    expect(reportFormatForPath('out/vouch.sarif.json')).toBe('sarif');
    expect(reportFormatForPath('report.HTML')).toBe('html');
    expect(reportFormatForPath('junit.xml')).toBe('junit');
    expect(reportFormatForPath('scan.json')).toBe('json');
    expect(reportFormatForPath('scan.pdf')).toBeUndefined();
  });
});
