import { OrderedAcknowledgements } from './ordered-acknowledgements';

describe('OrderedAcknowledgements', () => {
  it('holds a ready PUBACK back until every earlier one is ready, then sends them in arrival order', () => {
    const sent: number[] = [];
    const acks = new OrderedAcknowledgements((id) => sent.push(id));
    const first = acks.add(7);
    const second = acks.add(8);
    const third = acks.add(9);
    third();
    second();
    expect(sent).toEqual([]);
    expect(acks.pending).toBe(3);
    first();
    expect(sent).toEqual([7, 8, 9]);
    expect(acks.pending).toBe(0);
  });

  it('sends nothing after the connection closed, even what becomes ready later', () => {
    const sent: number[] = [];
    const acks = new OrderedAcknowledgements((id) => sent.push(id));
    const late = acks.add(1);
    acks.close();
    late();
    expect(sent).toEqual([]);
  });

  it('keeps order across many messages and compactions', () => {
    const sent: number[] = [];
    const acks = new OrderedAcknowledgements((id) => sent.push(id));
    const readies = Array.from({ length: 5000 }, (_, i) => acks.add(i % 65535));
    // Ready in pairs, the second of each pair first.
    for (let i = 0; i < readies.length; i += 2) {
      readies[i + 1]!();
      readies[i]!();
    }
    expect(sent).toEqual(Array.from({ length: 5000 }, (_, i) => i % 65535));
  });
});
