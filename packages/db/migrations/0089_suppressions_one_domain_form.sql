-- A suppression was stored in the form a contact then had, else with the domain in its Unicode
-- form, and sends compared it with the contact's address exactly: a suppression added before
-- anyone held the address (by API, by hand, from a bounce) missed a later contact whose address
-- has the punycode domain (`ana@xn--exmple-cua.test`), and the other way round. From now on
-- every suppression is stored in one form, the domain in Unicode (`ana@exämple.test`, what
-- `normaliseEmail` in packages/email gives), and the send check compares it with the contact's
-- address in that form too, through `relance_email_unicode` below.
--
-- The punycode decoder of migration 0080 (RFC 3492, as Node's `domainToUnicode` decodes
-- lower-case labels) now stays. A label it cannot decode, or whose decoding IDNA would refuse,
-- leaves the address as it is, as the app does.

create function relance_punycode_label(encoded text) returns text
language plpgsql immutable strict parallel safe as $$
declare
  base constant int := 36;
  tmin constant int := 1;
  tmax constant int := 26;
  split int := 0;
  output int[] := '{}';
  n bigint := 128;
  i bigint := 0;
  bias int := 72;
  pos int;
  old_i bigint;
  w bigint;
  k int;
  t int;
  digit int;
  c int;
  delta bigint;
  len int;
begin
  -- The basic code points come before the last '-'.
  for pos in reverse length(encoded)..1 loop
    if substr(encoded, pos, 1) = '-' then
      split := pos;
      exit;
    end if;
  end loop;
  for pos in 1..split - 1 loop
    c := ascii(substr(encoded, pos, 1));
    if c >= 128 then return null; end if;
    output := output || c;
  end loop;
  pos := split + 1;
  while pos <= length(encoded) loop
    old_i := i;
    w := 1;
    k := base;
    loop
      if pos > length(encoded) then return null; end if;
      c := ascii(substr(encoded, pos, 1));
      pos := pos + 1;
      digit := case
        when c between 97 and 122 then c - 97
        when c between 48 and 57 then c - 22
        else null end;
      if digit is null then return null; end if;
      i := i + digit * w;
      if i > 1114111 * 64 then return null; end if;
      t := case when k <= bias then tmin when k >= bias + tmax then tmax else k - bias end;
      exit when digit < t;
      w := w * (base - t);
      k := k + base;
    end loop;
    len := coalesce(array_length(output, 1), 0) + 1;
    -- adapt(i - old_i, len, old_i = 0)
    delta := case when old_i = 0 then (i - old_i) / 700 else (i - old_i) / 2 end;
    delta := delta + delta / len;
    k := 0;
    while delta > ((base - tmin) * tmax) / 2 loop
      delta := delta / (base - tmin);
      k := k + base;
    end loop;
    bias := k + ((base - tmin + 1) * delta) / (delta + 38);
    n := n + i / len;
    i := i % len;
    if n > 1114111 or n between 55296 and 57343 then return null; end if;
    output := output[1:i] || n::int || output[i + 1:];
    i := i + 1;
  end loop;
  return (select string_agg(chr(code), '' order by ord)
          from unnest(output) with ordinality as u(code, ord));
end $$;

-- The domain with each `xn--` label decoded; null when one cannot be.
create function relance_unicode_domain(domain text) returns text
language plpgsql immutable strict parallel safe as $$
declare
  label text;
  decoded text;
  labels text[] := '{}';
begin
  foreach label in array string_to_array(domain, '.') loop
    if label like 'xn--%' then
      decoded := relance_punycode_label(substr(label, 5));
      if decoded is null or decoded !~ '[^\x01-\x7f]'
        or decoded ~ '[^-a-z0-9\u00a1-\U0010ffff]' or decoded ~ '[\s]'
        or decoded <> lower(decoded) or decoded is not nfc normalized then
        return null;
      end if;
      labels := labels || decoded;
    else
      labels := labels || label;
    end if;
  end loop;
  return array_to_string(labels, '.');
end $$;

-- The address with each `xn--` label of its domain decoded; the address itself when it has none
-- or one does not decode. SQL, so the planner inlines the cheap test for `xn--`.
create function relance_email_unicode(email text) returns text
language sql immutable strict parallel safe as $$
  select case
    when strpos(email, 'xn--') = 0 or strpos(email, '@') = 0 then email
    else coalesce(
      substring(email from '^(.*@)[^@]*$')
        || relance_unicode_domain(substring(email from '@([^@]*)$')),
      email)
  end
$$;

-- The rows still under a punycode domain (kept by 0080 where a contact had that form, or written
-- by a merge since) move to the Unicode form; of two rows for one address and reason, the earlier
-- keeps its date, detail and message.
create temporary table suppressions_0089 on commit drop as
select s.workspace_id, s.email as old_email, relance_email_unicode(s.email) as new_email,
  s.reason, s.detail, s.message_id, s.created_at
from email_suppressions s
where s.email like '%@%xn--%' and relance_email_unicode(s.email) <> s.email;

insert into email_suppressions as s
  (workspace_id, email, reason, detail, message_id, created_at)
select distinct on (m.workspace_id, m.new_email, m.reason)
  m.workspace_id, m.new_email, m.reason, m.detail, m.message_id, m.created_at
from suppressions_0089 m
order by m.workspace_id, m.new_email, m.reason, m.created_at
on conflict (workspace_id, email, reason) do update set
  detail = excluded.detail, message_id = excluded.message_id, created_at = excluded.created_at
where excluded.created_at < s.created_at;

delete from email_suppressions s
using suppressions_0089 m
where s.workspace_id = m.workspace_id and s.email = m.old_email and s.reason = m.reason;
