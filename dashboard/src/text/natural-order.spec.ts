import { naturalCompare } from './natural-order';

describe('naturalCompare', () => {
  it('sorts numbered names by their number, not digit by digit', () => {
    const names = ['Teller 10', 'Teller 2', 'teller 1', 'Teller 11', 'Éénrichting 3', 'Eenrichting 20'];
    expect([...names].sort(naturalCompare)).toEqual([
      'Éénrichting 3',
      'Eenrichting 20',
      'teller 1',
      'Teller 2',
      'Teller 10',
      'Teller 11',
    ]);
  });

  it('keeps sensor ids with padded and unpadded numbers in order', () => {
    expect(['air-0010', 'air-9', 'air-0002'].sort(naturalCompare)).toEqual(['air-0002', 'air-9', 'air-0010']);
  });
});
