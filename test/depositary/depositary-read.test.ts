import fs from 'node:fs';
import path from 'node:path';
import { decodeDepositaryFile, readStatusTable, readStatusText, readStatusXml } from '../../src/depositary/depositary.read';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'depositary', name), 'utf8');
const rowOf = (table: ReturnType<typeof readStatusText>, name: string) => table.rows.find((row) => row.name === name);

describe('reading the depositary status table as copied from the UN Treaty Collection', () => {
  it('when the UNTOC excerpt is read, then its header lines and its 18 participants are taken, Afghanistan to Belize', () => {
    const table = readStatusText(fixture('untoc-status-excerpt.txt'));
    expect(table.problems).toEqual([]);
    expect(table.source).toContain('mtdsg_no=XVIII-12&');
    expect(table.asOf).toBe('2024-05-04');
    expect(table.rows).toHaveLength(18);
    expect(table.rows[0]).toMatchObject({ name: 'Afghanistan', signed: '2000-12-14', consented: '2003-09-24', consentKind: 'ratification', line: 4 });
    expect(table.rows.at(-1)!.name).toBe('Belize');
  });

  it('when a participant has a footnote number after its name, then the name is read without it', () => {
    const argentina = rowOf(readStatusText(fixture('untoc-status-excerpt.txt')), 'Argentina');
    expect(argentina).toMatchObject({ participant: 'Argentina 1', footnotes: ['1'], signed: '2000-12-12', consented: '2002-11-19' });
  });

  it('when a participant has one date line followed by "a", then it acceded without signing', () => {
    const table = readStatusText(fixture('untoc-status-excerpt.txt'));
    expect(rowOf(table, 'Bahrain')).toEqual({ line: expect.any(Number), participant: 'Bahrain', name: 'Bahrain', footnotes: [], consented: '2004-06-07', consentKind: 'accession' });
    expect(table.rows.filter((row) => row.consentKind === 'accession').map((row) => row.name)).toEqual(['Bahrain', 'Bangladesh', 'Belize']);
  });

  it('when the UNCAC excerpt is read, then its 26 participants are taken, dates with a leading space among them', () => {
    const table = readStatusText(fixture('uncac-status-excerpt.txt'));
    expect(table.problems).toEqual([]);
    expect(table.asOf).toBe('2024-04-20');
    expect(table.rows).toHaveLength(26);
    expect(rowOf(table, 'Algeria')).toMatchObject({ signed: '2003-12-09', consented: '2004-08-25' });
    expect(rowOf(table, 'Bolivia (Plurinational State of)')).toMatchObject({ signed: '2003-12-09', consented: '2005-12-05' });
    expect(table.rows.filter((row) => !row.signed).map((row) => row.name)).toEqual(['Antigua and Barbuda', 'Bahamas', 'Bangladesh', 'Belize', 'Botswana', 'Burundi']);
  });

  it('when dates carry the markers A, AA and d, then acceptance, approval and succession are read; a lone date without one is a signature', () => {
    const table = readStatusText(['Czechia 3', '12 Dec 2000', '24 Sep 2013 AA', 'European Union', '12 Dec 2000', '21 May 2004 AA', 'Japan', '12 Dec 2000', '11 Jul 2017 A', 'Serbia 4, 5', '  6 Sep 2001 d', 'Syrian Arab Republic', '13 Dec 2000'].join('\n'));
    expect(table.problems).toEqual([]);
    expect(table.source).toBeUndefined();
    expect(table.rows.map((row) => [row.name, row.footnotes, row.signed, row.consented, row.consentKind])).toEqual([
      ['Czechia', ['3'], '2000-12-12', '2013-09-24', 'approval'],
      ['European Union', [], '2000-12-12', '2004-05-21', 'approval'],
      ['Japan', [], '2000-12-12', '2017-07-11', 'acceptance'],
      ['Serbia', ['4', '5'], undefined, '2001-09-06', 'succession'],
      ['Syrian Arab Republic', [], '2000-12-13', undefined, undefined],
    ]);
  });

  it('when the table is copied as tab-separated rows with its headings, then each cell is read in its column', () => {
    const table = readStatusText('Participant\tSignature\tRatification, Accession(a), Acceptance(A), Approval(AA), Succession(d)\nAlbania\t12 Dec 2000\t21 Aug 2002\nBahrain\t\t 7 Jun 2004 a\nChad\t\t18 Aug 2009\nSyrian Arab Republic\t13 Dec 2000\t');
    expect(table.problems).toEqual([]);
    expect(table.rows.map((row) => [row.name, row.signed, row.consented, row.consentKind])).toEqual([
      ['Albania', '2000-12-12', '2002-08-21', 'ratification'],
      ['Bahrain', undefined, '2004-06-07', 'accession'],
      ['Chad', undefined, '2009-08-18', 'ratification'],
      ['Syrian Arab Republic', '2000-12-13', undefined, undefined],
    ]);
  });

  it('when a line is not a date, a participant has no date or too many, then each is a problem with its line', () => {
    const table = readStatusText('Albania\n31 Feb 2002\nAndorra\nAngola\n1 Jan 2001\n2 Jan 2001\n3 Jan 2001\nArmenia\n15 Nov 2001');
    expect(table.problems.map((problem) => [problem.line, problem.code])).toEqual([
      [2, 'date'],
      [1, 'noDates'],
      [3, 'noDates'],
      [4, 'tooManyDates'],
    ]);
    expect(table.rows.map((row) => row.name)).toEqual(['Armenia']);
  });
});

/** The shape of the depositary's XML export (MTDSG …/XVIII-12.en.xml): a CALS-like table under Participants. */
const MTDSG_XML = `<?xml version="1.0" encoding="ISO-8859-1"?>
<TreatyCollection><Treaty>
  <Header><Title>United Nations Convention against Transnational Organized Crime</Title></Header>
  <Participants><Table><TGroup>
    <Thead><Row><Entry>Participant</Entry><Entry>Signature</Entry><Entry>Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)</Entry></Row></Thead>
    <Tbody><Rows>
      <Row><Entry>Argentina<superscript>1</superscript></Entry><Entry>12 Dec 2000</Entry><Entry>19 Nov 2002</Entry></Row>
      <Row><Entry>Bahrain</Entry><Entry/><Entry>\t 7 Jun 2004 a</Entry></Row>
      <Row><Entry>C\xf4te d'Ivoire</Entry><Entry>15 Dec 2000</Entry><Entry>25 Oct 2012</Entry></Row>
      <Row><Entry>Japan</Entry><Entry>12 Dec 2000</Entry><Entry>11 Jul 2017 A</Entry></Row>
      <Row><Entry>Syrian Arab Republic</Entry><Entry>13 Dec 2000</Entry><Entry></Entry></Row>
    </Rows></Tbody>
  </TGroup></Table></Participants>
</Treaty></TreatyCollection>`;

describe('reading the depositary XML export', () => {
  it('when the MTDSG XML is uploaded in ISO-8859-1, then each participant row is read with its superscript footnotes apart', () => {
    const text = decodeDepositaryFile(Buffer.from(MTDSG_XML, 'latin1'));
    const table = readStatusTable(text);
    expect(table.format).toBe('untc_xml');
    expect(table.problems).toEqual([]);
    expect(table.rows.map((row) => [row.name, row.footnotes, row.signed, row.consented, row.consentKind])).toEqual([
      ['Argentina', ['1'], '2000-12-12', '2002-11-19', 'ratification'],
      ['Bahrain', [], undefined, '2004-06-07', 'accession'],
      ["Côte d'Ivoire", [], '2000-12-15', '2012-10-25', 'ratification'],
      ['Japan', [], '2000-12-12', '2017-07-11', 'acceptance'],
      ['Syrian Arab Republic', [], '2000-12-13', undefined, undefined],
    ]);
  });

  it('when the XML is not well formed or holds no participant, then that is the problem', () => {
    expect(readStatusXml('<Treaty><Participants><Row><Entry>Albania</Row>').problems.map((problem) => problem.code)).toEqual(['xml']);
    expect(readStatusXml('<Treaty><Participants/></Treaty>').problems.map((problem) => problem.code)).toEqual(['noRows']);
  });
});
