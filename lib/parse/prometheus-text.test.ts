// Hand-written edge cases for the text-format parser. Each input is written for the rule it tests
// (the rule's source is cited in prometheus-text.ts); the real captures are covered in
// prometheus-text.captures.test.ts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_WARNINGS, parsePromFloat, parsePrometheusText } from './prometheus-text';

const fam = (text: string, name: string) => parsePrometheusText(text).families.get(name);

describe('parsePrometheusText: structure', () => {
  it('reads HELP, TYPE and samples of a counter and a gauge', () => {
    const r = parsePrometheusText([
      '# HELP http_requests_total The total number of HTTP requests.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",code="400"}    3 1395066363000',
      '# TYPE go_goroutines gauge',
      'go_goroutines 1690',
      '',
    ].join('\n'));
    expect(r.warnings).toEqual([]);
    expect(r.sampleCount).toBe(3);
    const f = r.families.get('http_requests_total');
    expect(f?.type).toBe('counter');
    expect(f?.help).toBe('The total number of HTTP requests.');
    expect(f?.samples).toEqual([
      { name: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027, timestampMs: 1395066363000 },
      { name: 'http_requests_total', labels: { method: 'post', code: '400' }, value: 3, timestampMs: 1395066363000 },
    ]);
    expect(r.families.get('go_goroutines')?.samples[0]).toEqual({ name: 'go_goroutines', labels: {}, value: 1690 });
    expect([...r.families.keys()]).toEqual(['http_requests_total', 'go_goroutines']);
  });

  it('groups histogram _bucket/_sum/_count and summary quantiles under the TYPE name', () => {
    const r = parsePrometheusText([
      '# TYPE etcd_disk_wal_fsync_duration_seconds histogram',
      'etcd_disk_wal_fsync_duration_seconds_bucket{le="0.001"} 2',
      'etcd_disk_wal_fsync_duration_seconds_bucket{le="+Inf"} 4',
      'etcd_disk_wal_fsync_duration_seconds_sum 0.5',
      'etcd_disk_wal_fsync_duration_seconds_count 4',
      '# TYPE rpc_duration_seconds summary',
      'rpc_duration_seconds{quantile="0.99"} 76656',
      'rpc_duration_seconds_sum 1.7560473e+07',
      'rpc_duration_seconds_count 2693',
    ].join('\n'));
    expect(r.warnings).toEqual([]);
    expect([...r.families.keys()]).toEqual(['etcd_disk_wal_fsync_duration_seconds', 'rpc_duration_seconds']);
    expect(r.families.get('etcd_disk_wal_fsync_duration_seconds')?.samples.map((s) => s.name)).toEqual([
      'etcd_disk_wal_fsync_duration_seconds_bucket', 'etcd_disk_wal_fsync_duration_seconds_bucket',
      'etcd_disk_wal_fsync_duration_seconds_sum', 'etcd_disk_wal_fsync_duration_seconds_count',
    ]);
    expect(r.families.get('rpc_duration_seconds')?.samples).toHaveLength(3);
  });

  it('accepts TYPE and HELP after the samples (any order) and still groups', () => {
    const r = parsePrometheusText([
      'x_bucket{le="1"} 1',
      'x_bucket{le="+Inf"} 1',
      'x_count 1',
      '# HELP x late help',
      '# TYPE x histogram',
    ].join('\n'));
    expect(r.warnings).toEqual([]);
    const f = r.families.get('x');
    expect(f).toMatchObject({ type: 'histogram', help: 'late help' });
    expect(f?.samples).toHaveLength(3);
    expect(r.families.has('x_bucket')).toBe(false);
  });

  it('treats a family without TYPE as untyped, and does not strip suffixes of untyped names', () => {
    const r = parsePrometheusText('foo_sum 1\nfoo_count 2\n');
    expect(r.families.get('foo_sum')?.type).toBe('untyped');
    expect(r.families.get('foo_count')?.type).toBe('untyped');
  });

  it('does not fold _sum into a gauge family of the base name', () => {
    const r = parsePrometheusText('# TYPE foo gauge\nfoo 1\nfoo_sum 2\n');
    expect(r.families.get('foo')?.samples).toHaveLength(1);
    expect(r.families.get('foo_sum')?.type).toBe('untyped');
  });

  it('keeps HELP-only and TYPE-only families with no samples', () => {
    const r = parsePrometheusText('# HELP a help of a\n# TYPE b gauge\n');
    expect(r.families.get('a')).toEqual({ name: 'a', type: 'untyped', help: 'help of a', samples: [] });
    expect(r.families.get('b')).toEqual({ name: 'b', type: 'gauge', samples: [] });
  });

  it('accepts OpenMetrics TYPE values and groups counter _total / _created', () => {
    const r = parsePrometheusText([
      '# TYPE req counter',
      'req_total 5',
      'req_created 1.6e9',
      '# TYPE build info',
      'build_info{version="1"} 1',
      '# TYPE state stateset',
      'state{state="a"} 1',
      '# TYPE q gaugehistogram',
      'q_bucket{le="+Inf"} 3',
      'q_gcount 3',
      'q_gsum 4',
      '# TYPE u unknown',
      'u 1',
      '# EOF',
    ].join('\n'));
    expect(r.warnings).toEqual([]);
    expect(r.families.get('req')?.samples.map((s) => s.name)).toEqual(['req_total', 'req_created']);
    expect(r.families.get('build')?.type).toBe('info');
    expect(r.families.get('state')?.type).toBe('stateset');
    expect(r.families.get('q')?.samples).toHaveLength(3);
    expect(r.families.get('u')?.type).toBe('untyped');
  });
});

describe('parsePrometheusText: lexical rules', () => {
  it('unescapes label values (\\\\, \\", \\n) and HELP (\\\\, \\n)', () => {
    const r = parsePrometheusText([
      '# HELP m a \\\\ backslash and\\nnewline',
      'm{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
    ].join('\n'));
    expect(r.warnings).toEqual([]);
    const f = r.families.get('m');
    expect(f?.help).toBe('a \\ backslash and\nnewline');
    expect(f?.samples[0]?.labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    expect(f?.samples[0]?.value).toBe(1458255915);
  });

  it('accepts empty label sets, trailing commas, blanks around tokens and a comma inside values', () => {
    const r = parsePrometheusText([
      'a{} 1',
      'b{x="1",} 2',
      'c { x = "1" , y="a,b}" } 3',
      '\t d{x="1"}\t4\t',
      'e{x=""} 5',
    ].join('\n'));
    expect(r.warnings).toEqual([]);
    expect(r.families.get('a')?.samples[0]?.labels).toEqual({});
    expect(r.families.get('b')?.samples[0]?.labels).toEqual({ x: '1' });
    expect(r.families.get('c')?.samples[0]).toEqual({ name: 'c', labels: { x: '1', y: 'a,b}' }, value: 3 });
    expect(r.families.get('d')?.samples[0]?.value).toBe(4);
    expect(r.families.get('e')?.samples[0]?.labels).toEqual({ x: '' });
  });

  it('parses NaN, ±Inf, scientific notation and signed values', () => {
    const r = parsePrometheusText([
      'v{i="1"} NaN', 'v{i="2"} +Inf', 'v{i="3"} -Inf', 'v{i="4"} 1.5e-3', 'v{i="5"} -2E+2', 'v{i="6"} .5', 'v{i="7"} Inf', 'v{i="8"} 0x1p3',
    ].join('\n'));
    const vals = r.families.get('v')?.samples.map((s) => s.value);
    expect(vals?.[0]).toBeNaN();
    expect(vals?.slice(1)).toEqual([Infinity, -Infinity, 0.0015, -200, 0.5, Infinity]);
    // Hex floats are valid Go but never printed by client_golang; we skip them with a warning.
    expect(r.warningCount).toBe(1);
    expect(r.warnings[0]).toMatchObject({ line: 8 });
  });

  it('keeps millisecond timestamps, including negative ones, and ignores OpenMetrics exemplars', () => {
    const r = parsePrometheusText([
      'a 1 1700000000123',
      'b -1 -5',
      'c_bucket{le="0.5"} 10 # {trace_id="KOO5S4vxi0o"} 0.67',
      'd 3 1700000000000 # {trace_id="x"} 1 1700000000.5',
    ].join('\n'));
    expect(r.warnings).toEqual([]);
    expect(r.families.get('a')?.samples[0]?.timestampMs).toBe(1700000000123);
    expect(r.families.get('b')?.samples[0]).toEqual({ name: 'b', labels: {}, value: -1, timestampMs: -5 });
    expect(r.families.get('c_bucket')?.samples[0]).toEqual({ name: 'c_bucket', labels: { le: '0.5' }, value: 10 });
    expect(r.families.get('d')?.samples[0]?.timestampMs).toBe(1700000000000);
  });

  it('handles CRLF, blank lines, free comments, leading blanks, a BOM and #TYPE without a blank', () => {
    const text = '\ufeff# a free comment\r\n\r\n   \r\n  # TYPE g gauge\r\n#TYPE h counter\r\ng{a="b"} 1\r\nh 2\r\n#\r\n';
    const r = parsePrometheusText(text);
    expect(r.warnings).toEqual([]);
    expect(r.families.get('g')).toMatchObject({ type: 'gauge', samples: [{ labels: { a: 'b' }, value: 1 }] });
    expect(r.families.get('h')?.type).toBe('counter');
  });

  it('stops at # EOF and warns about trailing content', () => {
    const r = parsePrometheusText('a 1\n# EOF\nb 2\n');
    expect(r.families.has('b')).toBe(false);
    expect(r.warnings).toEqual([{ line: 3, message: 'content after # EOF ignored' }]);
    expect(parsePrometheusText('a 1\n# EOF\n').warnings).toEqual([]);
  });

  it('accepts colons in metric names, and digits after the first character', () => {
    const r = parsePrometheusText('job:request_rate:5m 3\n_x9 1\n');
    expect(r.families.get('job:request_rate:5m')?.samples[0]?.value).toBe(3);
    expect(r.families.get('_x9')?.samples[0]?.value).toBe(1);
  });

  it('stores a label named __proto__ as an ordinary own property', () => {
    const s = fam('m{__proto__="x"} 1', 'm')?.samples[0];
    expect(Object.keys(s?.labels ?? {})).toEqual(['__proto__']);
    expect(s?.labels['__proto__']).toBe('x');
  });
});

describe('parsePrometheusText: malformed input never throws', () => {
  const bad: Array<[string, RegExp]> = [
    ['9abc 1', /invalid metric name start/],
    ['m{a="1"', /unterminated/],
    ['m{a="1} 1', /unterminated|expected/],
    ['m{a=1} 1', /expected '"'/],
    ['m{a="1" b="2"} 1', /expected ',' or '}'/],
    ['m{1a="1"} 1', /invalid label name start/],
    ['m{a="x\\q"} 1', /invalid escape sequence/],
    ['m{a="1",a="2"} 1', /duplicate label name a/],
    ['m{__name__="x"} 1', /reserved/],
    ['m', /missing value/],
    ['m{a="1"}', /missing value/],
    ['m abc', /invalid value/],
    ['m 1 12.5', /invalid timestamp/],
    ['m 1 12 extra', /unexpected text after timestamp/],
    ['m-x 1', /invalid character/],
    ['{"m.x"} 1', /UTF-8/],
    ['m{"a.b"="1"} 1', /UTF-8/],
    ['# TYPE m bogus', /unknown metric type/],
    ['# TYPE m', /without a type/],
    ['# TYPE 1m counter', /invalid metric name/],
    ['# HELP m bad \\t escape', /invalid escape/],
  ];
  for (const [line, re] of bad) {
    it(`skips ${JSON.stringify(line)}`, () => {
      const r = parsePrometheusText(`ok 1\n${line}\nok 2\n`);
      expect(r.warningCount).toBe(1);
      expect(r.warnings[0]?.line).toBe(2);
      expect(r.warnings[0]?.message).toMatch(re);
      expect(r.families.get('ok')?.samples.map((s) => s.value)).toEqual([1, 2]);
    });
  }

  it('warns on duplicate HELP and on a conflicting second TYPE, keeping the first', () => {
    const r = parsePrometheusText('# HELP a one\n# HELP a two\n# TYPE a gauge\n# TYPE a counter\na 1\n');
    expect(r.warnings.map((w) => w.line)).toEqual([2, 4]);
    expect(r.families.get('a')).toMatchObject({ help: 'one', type: 'gauge' });
  });

  it('caps stored warnings and counts the rest', () => {
    const r = parsePrometheusText('bad line here\n'.repeat(MAX_WARNINGS + 50));
    expect(r.warnings).toHaveLength(MAX_WARNINGS);
    expect(r.warningCount).toBe(MAX_WARNINGS + 50);
  });

  it('skips lines longer than maxLineLength', () => {
    const long = `m{a="${'x'.repeat(200)}"} 1`;
    const r = parsePrometheusText(`m{a="short"} 1\n${long}\n`, { maxLineLength: 100 });
    expect(r.families.get('m')?.samples).toHaveLength(1);
    expect(r.warnings).toEqual([{ line: 2, message: 'line longer than 100 characters skipped' }]);
    // The default (64 KiB) accepts it.
    expect(parsePrometheusText(`${long}\n`).warningCount).toBe(0);
  });

  it('never throws on arbitrary input (property)', () => {
    const alphabet = fc.constantFrom(...'ab_:{}="\\,# \t\n\r01.eE+-NaInf'.split(''));
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 200 }).map((a) => a.join('')), (text) => {
      const r = parsePrometheusText(text);
      expect(r.warningCount).toBeGreaterThanOrEqual(r.warnings.length);
      let n = 0;
      for (const f of r.families.values()) n += f.samples.length;
      expect(n).toBe(r.sampleCount);
    }), { numRuns: 2000 });
  });
});

describe('parsePrometheusText: keep', () => {
  const text = [
    '# TYPE a counter', 'a{x="1"} 1', 'a{x="2"} 2',
    '# TYPE h histogram', 'h_bucket{le="+Inf"} 1', 'h_sum 1', 'h_count 1',
    'b{bad="unterminated} 3',
  ].join('\n');

  it('asks once per family and skips rejected families without parsing their lines', () => {
    const asked: string[] = [];
    const r = parsePrometheusText(text, { keep: (n) => { asked.push(n); return n === 'h'; } });
    expect([...r.families.keys()]).toEqual(['h']);
    expect(r.sampleCount).toBe(3);
    expect(asked.sort()).toEqual(['a', 'b', 'h']);
    // The malformed line belongs to a family that is not kept, so it is not even looked at.
    expect(r.warningCount).toBe(0);
  });
});

describe('parsePromFloat', () => {
  it('follows Go strconv.ParseFloat for the forms exporters print', () => {
    expect(parsePromFloat('+Inf')).toBe(Infinity);
    expect(parsePromFloat('-inf')).toBe(-Infinity);
    expect(parsePromFloat('Infinity')).toBe(Infinity);
    expect(parsePromFloat('nan')).toBeNaN();
    expect(parsePromFloat('0.005')).toBe(0.005);
    expect(parsePromFloat('1e-05')).toBe(0.00001);
    expect(parsePromFloat('1.')).toBe(1);
    for (const bad of ['', '+', 'e5', '0x10', '1_000', '+nan', 'abc', '1e']) expect(parsePromFloat(bad)).toBeUndefined();
  });

  it('round-trips every finite double printed by JS (property)', () => {
    // String(-0) is "0", so -0 cannot round-trip through String(); it is checked on its own.
    fc.assert(fc.property(fc.double({ noNaN: true }).filter((d) => !Object.is(d, -0)), (d) => { expect(parsePromFloat(String(d))).toBe(d); }));
    expect(parsePromFloat('-0')).toBe(-0);
  });
});
