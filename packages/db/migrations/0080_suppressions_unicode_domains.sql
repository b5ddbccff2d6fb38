-- Suppressions written before session 19 under the punycode form of an internationalised domain
-- (`ana@xn--exmple-cua.test`: what bounces and complaints report, since we send to that form)
-- did not stop mail to a contact who keeps the Unicode form (`ana@exämple.test`), because the
-- send check compares a suppression with the contact's address exactly. Since session 19
-- `suppressAddress` stores the form the contact has, else the Unicode form. This rewrites the
-- older rows the same way: each goes under the Unicode form, and stays under the punycode form
-- too only where a contact has that form (both, where two contacts hold the two forms: the
-- mailbox is suppressed for each). A row already under the Unicode form for the same reason is
-- merged: the earlier keeps its date, detail and message.
--
-- PostgreSQL has no punycode decoder, so this one (RFC 3492, as Node's `domainToUnicode` decodes
-- lower-case labels) lives for this migration only. A label it cannot decode, or whose decoding
-- is not a lower-case NFC label of letters, digits and hyphens with at least one non-ASCII
-- character (IDNA refuses the rest, and Node's `domainToUnicode` answers them with nothing),
-- leaves its row as it is, as the app does.

create function relance_0080_punycode_label(encoded text) returns text
language plpgsql immutable strict as $$
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
create function relance_0080_unicode_domain(domain text) returns text
language plpgsql immutable strict as $$
declare
  label text;
  decoded text;
  labels text[] := '{}';
begin
  foreach label in array string_to_array(domain, '.') loop
    if label like 'xn--%' then
      decoded := relance_0080_punycode_label(substr(label, 5));
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

create temporary table suppressions_0080 on commit drop as
select s.workspace_id, s.email as old_email,
  left(s.email, length(s.email) - length(d.domain)) || d.unicode as new_email,
  s.reason, s.detail, s.message_id, s.created_at
from email_suppressions s
cross join lateral (select substring(s.email from '@([^@]*)$') as domain) a
cross join lateral (select a.domain, relance_0080_unicode_domain(a.domain) as unicode) d
where s.email like '%@%xn--%' and d.unicode is not null and d.unicode <> d.domain;

-- Under the Unicode form, unless a contact has the punycode form and none the Unicode one; the
-- earlier of two rows for one address and reason wins.
insert into email_suppressions as s
  (workspace_id, email, reason, detail, message_id, created_at)
select distinct on (m.workspace_id, m.new_email, m.reason)
  m.workspace_id, m.new_email, m.reason, m.detail, m.message_id, m.created_at
from suppressions_0080 m
where exists (select 1 from contacts c
              where c.workspace_id = m.workspace_id and c.email = m.new_email)
   or not exists (select 1 from contacts c
                  where c.workspace_id = m.workspace_id and c.email = m.old_email)
order by m.workspace_id, m.new_email, m.reason, m.created_at
on conflict (workspace_id, email, reason) do update set
  detail = excluded.detail, message_id = excluded.message_id, created_at = excluded.created_at
where excluded.created_at < s.created_at;

-- The punycode rows no contact's address is written as.
delete from email_suppressions s
using suppressions_0080 m
where s.workspace_id = m.workspace_id and s.email = m.old_email and s.reason = m.reason
  and not exists (select 1 from contacts c
                  where c.workspace_id = m.workspace_id and c.email = m.old_email);

drop function relance_0080_unicode_domain(text);
drop function relance_0080_punycode_label(text);
