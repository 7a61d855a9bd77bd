import {
  DEAD_LETTER_READER_USERNAME,
  INGESTION_USERNAME,
  ingestionUsername,
  renderAclFile,
} from './acl-file';

describe('renderAclFile', () => {
  it('lets each device write its own three topics and nothing else, and the service read', () => {
    const acl = renderAclFile(['leuven.air.AQ-0001', 'gent.noise.N.7']);
    expect(acl).toContain(
      `user ${INGESTION_USERNAME}\ntopic read meetnet/#\ntopic write meetnet/_rejected/#`,
    );
    expect(acl).toContain(
      'user leuven.air.AQ-0001\ntopic write meetnet/leuven/air/AQ-0001/obs\n' +
        'topic write meetnet/leuven/air/AQ-0001/status\ntopic write meetnet/leuven/air/AQ-0001/meta',
    );
    expect(acl).toContain('user gent.noise.N.7\ntopic write meetnet/gent/noise/N.7/obs');
    // No device line reads, and no line anywhere grants a wildcard write.
    expect(acl.split('\n').filter((l) => l.startsWith('topic read'))).toEqual([
      'topic read meetnet/#',
      'topic read meetnet/_rejected/#',
    ]);
    expect(acl).not.toMatch(/topic (write|readwrite) meetnet\/[^_][^\n]*[#+]/);
  });

  it('gives an account whose name is no device address no access at all', () => {
    const acl = renderAclFile(['leuven.water.x', 'root', 'leuven.air.+']);
    expect(acl).not.toContain('user leuven.water.x');
    expect(acl).not.toContain('user root');
    expect(acl).not.toContain('user leuven.air.+');
  });

  it('lets the dead-letter reader read dead letters and nothing else', () => {
    const acl = renderAclFile([DEAD_LETTER_READER_USERNAME]);
    expect(acl).toContain(`user ${DEAD_LETTER_READER_USERNAME}\ntopic read meetnet/_rejected/#\n`);
  });

  it('gives each further ingestion instance its own account with the same access', () => {
    const b = ingestionUsername('b');
    expect(b).toBe('meetnet-ingestion-b');
    expect(renderAclFile([b])).toContain(`user ${b}\ntopic read meetnet/#\ntopic write meetnet/_rejected/#`);
    expect(renderAclFile(['meetnet-ingestion-B!'])).not.toContain('meetnet-ingestion-B!');
    expect(() => ingestionUsername('../x')).toThrow(/instance/);
  });
});
