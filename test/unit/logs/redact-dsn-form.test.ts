import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/logs/redact.js';

/** Form encoding (`application/x-www-form-urlencoded`, a URL query): spaces become `+`, everything else `%XX`. */
const formEncoded = (text: string): string => encodeURIComponent(text).replace(/%20/g, '+');

describe('redactSecrets: passwords with spaces in connection strings and DSNs', () => {
  it.each([
    ['an ADO.NET connection string', 'Server=db;User Id=sa;Password=correct horse battery staple;Database=shop', 'Server=db;User Id=sa;Password=[REDACTED:connection-string-password];Database=shop'],
    ['a JDBC SQL Server URL', 'jdbc:sqlserver://db:1433;user=sa;password=correct horse battery;encrypt=true', 'jdbc:sqlserver://db:1433;user=sa;password=[REDACTED:connection-string-password];encrypt=true'],
    ['an ODBC string ending in the password', 'Driver={ODBC Driver 18};Server=db;Uid=sa;Pwd=correct horse battery', 'Driver={ODBC Driver 18};Server=db;Uid=sa;Pwd=[REDACTED:connection-string-password]'],
    ['a libpq string with a quoted password', "host=db user=app password='my secret pass' dbname=shop", "host=db user=app password='[REDACTED:key-value-secret]' dbname=shop"],
    ['a Go MySQL DSN', 'dsn=deploy:pass word here@tcp(db.internal:3306)/app', 'dsn=deploy:[REDACTED:dsn-password]@tcp(db.internal:3306)/app'],
    ['a Go MySQL DSN after a log prefix with colons', 'dial error: Error 1045: Access denied; dsn=deploy:pa ss@tcp(db:3306)/app', 'dial error: Error 1045: Access denied; dsn=deploy:[REDACTED:dsn-password]@tcp(db:3306)/app'],
    ['a PostgreSQL URL', 'DATABASE_URL=postgres://deploy:pass word@db.internal:5432/app', 'DATABASE_URL=postgres://deploy:[REDACTED:url-password]@db.internal:5432/app'],
    ['a MongoDB URL with options', 'connecting to mongodb+srv://ci:my very secret@cluster0.example.net/?retryWrites=true', 'connecting to mongodb+srv://ci:[REDACTED:url-password]@cluster0.example.net/?retryWrites=true'],
  ])('redacts the whole password: %s', (_label, line, expected) => {
    expect(redactSecrets(line)).toBe(expected);
  });

  it.each([
    ['a connection string without a password', 'Server=db;User Id=sa;Integrated Security=true;Database=shop'],
    ['a connection string whose password is a variable', 'Server=db;User Id=sa;Password=$(DB_PASSWORD);Database=shop'],
    ['a port, then an e-mail address', 'listening on postgres://db:5432 owned by dba@example.com'],
    ['a URL with a port and words before an @', 'see http://localhost:8080 and ask ops@example.com'],
  ])('keeps %s', (_label, line) => {
    expect(redactSecrets(line)).toBe(line);
  });
});

describe('redactSecrets: form encoding', () => {
  it('reads + as a space in a form-encoded run', () => {
    // Prepare
    const password = 'my secret pass';
    const line = `POST /hook payload=${formEncoded(JSON.stringify({ user: 'deploy', password }, null, 1))}`;

    // Act
    const out = redactSecrets(line);

    // Assert
    expect(out).toBe('POST /hook payload=[REDACTED:url-encoded-secret]');
  });

  it('reads an Authorization header sent form-encoded', () => {
    // Prepare
    const line = `headers=${formEncoded('Authorization: Bearer opaque-token-opaque-token-42')}&retry=1`;

    // Act / Assert
    expect(redactSecrets(line)).not.toContain('opaque-token');
  });

  it('still reads a literal + in an encoded run (base64 in a query)', () => {
    // Prepare
    const line = `next=${encodeURIComponent('https://x.example/cb?token=')}Zx81+Qw7Lp2Mn5Bv8Cx%2Fk3`;

    // Act / Assert
    expect(redactSecrets(line)).not.toContain('Qw7Lp2Mn5Bv8Cx');
  });

  it('ends a form or query password at the next parameter', () => {
    expect(redactSecrets('POST /login body: password=correct+horse+battery&username=deploy&remember=1')).toBe(
      'POST /login body: password=[REDACTED:key-value-secret]&username=deploy&remember=1',
    );
    expect(redactSecrets('GET /login?user=x&password=a+b+c&next=%2Fhome 302')).toBe('GET /login?user=x&password=[REDACTED:key-value-secret]&next=%2Fhome 302');
  });

  it('keeps an & that is part of a password', () => {
    expect(redactSecrets('DB_PASSWORD=Wq7&pLz2 ./migrate')).toBe('DB_PASSWORD=[REDACTED:key-value-secret] ./migrate');
  });
});
