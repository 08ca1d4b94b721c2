;; The line filter's pass over a chunk of log bytes (see line-filter.ts, whose `flagInJs` is the same loop in
;; JavaScript and the reference the tests compare this one with). Compiled by `npm run build:line-filter` into
;; line-filter.generated.ts; a unit test recompiles it and checks the generated file is current.
;;
;; Memory, laid out by the caller:
;; - a class map, one i32 per byte value: the byte's class times 4, with the top bit set for the bytes this loop
;;   handles itself (LF, CR, ESC, `[`);
;; - two transition tables, each entry the absolute address of the next state's row (row = columns × 4 bytes);
;;   the HIT state's row is each table's first, and a row is entered by adding the class's offset;
;; - the input bytes, complete lines (the last byte is LF);
;; - room for one i32 per line: where its LF is, from the input's start, with the top bit set for a named line.
(module
  (memory (export "memory") 1)

  ;; End of the ANSI sequence at the ESC at $i, as cleanLine's expression removes it: CSI
  ;; (ESC [ [0-9;?]* [ -/]* [@-~]), else an operating system command (ESC ] up to BEL or ESC \\, a hyperlink), else an
  ;; escape with intermediates (ESC [ -/]+ [0-~]), else a two-byte escape (ESC [@-Z\\-_]), else the bare ESC.
  (func $escapeEnd (param $i i32) (param $end i32) (result i32)
    (local $j i32) (local $b i32)
    ;; An operating system command goes whole, its string with it; one that another ESC, a line break or the end
    ;; interrupts is read as the two-byte escape below.
    (local.set $j (i32.add (local.get $i) (i32.const 1)))
    (if (i32.lt_u (local.get $j) (local.get $end))
      (then
        (if (i32.eq (i32.load8_u (local.get $j)) (i32.const 93))
          (then
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (block $unterminated
              (loop $command
                (br_if $unterminated (i32.ge_u (local.get $j) (local.get $end)))
                (local.set $b (i32.load8_u (local.get $j)))
                (if (i32.eq (local.get $b) (i32.const 7))
                  (then (return (i32.add (local.get $j) (i32.const 1)))))
                (if (i32.eq (local.get $b) (i32.const 27))
                  (then
                    (br_if $unterminated (i32.ge_u (i32.add (local.get $j) (i32.const 1)) (local.get $end)))
                    (br_if $unterminated (i32.ne (i32.load8_u (i32.add (local.get $j) (i32.const 1))) (i32.const 92)))
                    (return (i32.add (local.get $j) (i32.const 2)))))
                (br_if $unterminated (i32.eq (local.get $b) (i32.const 10)))
                (br_if $unterminated (i32.eq (local.get $b) (i32.const 13)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $command)))))))
    (local.set $j (i32.add (local.get $i) (i32.const 1)))
    (if (i32.lt_u (local.get $j) (local.get $end))
      (then
        (if (i32.eq (i32.load8_u (local.get $j)) (i32.const 91))
          (then
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (block $params
              (loop $param
                (br_if $params (i32.ge_u (local.get $j) (local.get $end)))
                (local.set $b (i32.load8_u (local.get $j)))
                (br_if $params
                  (i32.eqz
                    (i32.or
                      (i32.le_u (i32.sub (local.get $b) (i32.const 48)) (i32.const 9))
                      (i32.or (i32.eq (local.get $b) (i32.const 59)) (i32.eq (local.get $b) (i32.const 63))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $param)))
            (block $intermediates
              (loop $intermediate
                (br_if $intermediates (i32.ge_u (local.get $j) (local.get $end)))
                (br_if $intermediates (i32.gt_u (i32.sub (i32.load8_u (local.get $j)) (i32.const 32)) (i32.const 15)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $intermediate)))
            (if (i32.lt_u (local.get $j) (local.get $end))
              (then
                (if (i32.le_u (i32.sub (i32.load8_u (local.get $j)) (i32.const 64)) (i32.const 62))
                  (then (return (i32.add (local.get $j) (i32.const 1)))))))))))
    ;; An escape with intermediates, ESC [ -/]+ [0-~] (`tput sgr0` prints ESC ( B).
    (local.set $j (i32.add (local.get $i) (i32.const 1)))
    (if (i32.lt_u (local.get $j) (local.get $end))
      (then
        (if (i32.le_u (i32.sub (i32.load8_u (local.get $j)) (i32.const 32)) (i32.const 15))
          (then
            (block $nf
              (loop $nfIntermediate
                (br_if $nf (i32.ge_u (local.get $j) (local.get $end)))
                (br_if $nf (i32.gt_u (i32.sub (i32.load8_u (local.get $j)) (i32.const 32)) (i32.const 15)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $nfIntermediate)))
            (if (i32.lt_u (local.get $j) (local.get $end))
              (then
                (if (i32.le_u (i32.sub (i32.load8_u (local.get $j)) (i32.const 48)) (i32.const 78))
                  (then (return (i32.add (local.get $j) (i32.const 1)))))))))))
    (local.set $j (i32.add (local.get $i) (i32.const 1)))
    (if (i32.lt_u (local.get $j) (local.get $end))
      (then
        (local.set $b (i32.load8_u (local.get $j)))
        (if (i32.or
              (i32.le_u (i32.sub (local.get $b) (i32.const 64)) (i32.const 26))
              (i32.le_u (i32.sub (local.get $b) (i32.const 92)) (i32.const 3)))
          (then (return (i32.add (local.get $i) (i32.const 2)))))))
    (i32.add (local.get $i) (i32.const 1)))

  ;; Where the pass goes on after the ANSI sequence at the ESC at $i: at the sequence's last byte when that is the
  ;; `^` of a `^[[` caret escape, which cleaning removes first (the caret trigger then names the line), else past it.
  (func $escapeSkip (param $i i32) (param $end i32) (result i32)
    (local $e i32)
    (local.set $e (call $escapeEnd (local.get $i) (local.get $end)))
    (if (i32.lt_u (i32.add (local.get $e) (i32.const 1)) (local.get $end))
      (then
        (if (i32.and
              (i32.eq (i32.load8_u (i32.sub (local.get $e) (i32.const 1))) (i32.const 94))
              (i32.and
                (i32.eq (i32.load8_u (local.get $e)) (i32.const 91))
                (i32.eq (i32.load8_u (i32.add (local.get $e) (i32.const 1))) (i32.const 91))))
          (then (return (i32.sub (local.get $e) (i32.const 1)))))))
    (local.get $e))

  ;; Whether the byte at $k can start a bracketed word (a letter, digit, `_`, `-`, `.` or `/`) and a `]` follows
  ;; before any `[`, LF, CR or $end: a `[m` there starts a bracketed word (`[misc]`, `[m-z]`), not a remnant.
  (func $startsBracketedWord (param $k i32) (param $end i32) (result i32)
    (local $b i32)
    (if (i32.ge_u (local.get $k) (local.get $end)) (then (return (i32.const 0))))
    (local.set $b (i32.load8_u (local.get $k)))
    (if (i32.eqz
          (i32.or
            (i32.le_u (i32.sub (i32.or (local.get $b) (i32.const 32)) (i32.const 97)) (i32.const 25))
            (i32.or
              (i32.le_u (i32.sub (local.get $b) (i32.const 45)) (i32.const 12))
              (i32.eq (local.get $b) (i32.const 95)))))
      (then (return (i32.const 0))))
    (block $open
      (loop $scan
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $open (i32.ge_u (local.get $k) (local.get $end)))
        (local.set $b (i32.load8_u (local.get $k)))
        (if (i32.eq (local.get $b) (i32.const 93)) (then (return (i32.const 1))))
        (br_if $open (i32.eq (local.get $b) (i32.const 91)))
        (br_if $open (i32.eq (local.get $b) (i32.const 10)))
        (br_if $open (i32.eq (local.get $b) (i32.const 13)))
        (br $scan)))
    (i32.const 0))

  ;; End of an SGR remnant ([0-9;]{1,12}m, or a bare m that does not start a bracketed word, after the `[` at
  ;; $i), or -1.
  (func $remnantEnd (param $i i32) (param $end i32) (result i32)
    (local $j i32) (local $limit i32) (local $b i32)
    (local.set $j (i32.add (local.get $i) (i32.const 1)))
    (local.set $limit (i32.add (local.get $j) (i32.const 13)))
    (if (i32.lt_u (local.get $end) (local.get $limit)) (then (local.set $limit (local.get $end))))
    (block $digits
      (loop $digit
        (br_if $digits (i32.ge_u (local.get $j) (local.get $limit)))
        (local.set $b (i32.load8_u (local.get $j)))
        (br_if $digits
          (i32.eqz
            (i32.or
              (i32.le_u (i32.sub (local.get $b) (i32.const 48)) (i32.const 9))
              (i32.eq (local.get $b) (i32.const 59)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $digit)))
    (if (i32.lt_u (local.get $j) (local.get $end))
      (then
        (if (i32.le_u (i32.sub (i32.sub (local.get $j) (local.get $i)) (i32.const 1)) (i32.const 12))
          (then
            (if (i32.eq (i32.load8_u (local.get $j)) (i32.const 109))
              (then
                (if (i32.gt_u (local.get $j) (i32.add (local.get $i) (i32.const 1)))
                  (then (return (i32.add (local.get $j) (i32.const 1)))))
                (if (i32.eqz (call $startsBracketedWord (i32.add (local.get $j) (i32.const 1)) (local.get $end)))
                  (then (return (i32.add (local.get $j) (i32.const 1)))))))))))
    (i32.const -1))

  ;; The length of the sequence the ESC at $i starts when it sends the cursor to the first column (`ESC[1G`,
  ;; `ESC[0G`: four bytes read as one little-endian word; `ESC[G`: the two after the ESC as a half-word; and those
  ;; zero-padded, `ESC[01G`: see COLUMN_ONE in reader.ts), or 0. The common spellings are asked first, as one word
  ;; each; the padded ones (`ESC[0`, then a 0 or a 1) read on byte by byte: any number of zeros, an optional 1, the G.
  (func $columnOne (param $i i32) (param $end i32) (result i32)
    (local $w i32) (local $at i32)
    (if (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $end))
      (then
        (local.set $w (i32.load align=1 (local.get $i)))
        (if (i32.or (i32.eq (local.get $w) (i32.const 0x47315b1b)) (i32.eq (local.get $w) (i32.const 0x47305b1b)))
          (then (return (i32.const 4))))
        (if (i32.ne (i32.and (local.get $w) (i32.const 0x00ffffff)) (i32.const 0x00305b1b))
          (then (return (select (i32.const 3) (i32.const 0) (i32.eq (i32.and (local.get $w) (i32.const 0x00ffffff)) (i32.const 0x00475b1b))))))
        (local.set $at (i32.add (local.get $i) (i32.const 3)))
        (block $zeros
          (loop $zero
            (br_if $zeros (i32.ge_u (local.get $at) (local.get $end)))
            (br_if $zeros (i32.ne (i32.load8_u (local.get $at)) (i32.const 0x30)))
            (local.set $at (i32.add (local.get $at) (i32.const 1)))
            (br $zero)))
        (if (i32.and (i32.lt_u (local.get $at) (local.get $end)) (i32.eq (i32.load8_u (local.get $at)) (i32.const 0x31)))
          (then (local.set $at (i32.add (local.get $at) (i32.const 1)))))
        (return
          (select
            (i32.sub (i32.add (local.get $at) (i32.const 1)) (local.get $i))
            (i32.const 0)
            (i32.and (i32.lt_u (local.get $at) (local.get $end)) (i32.eq (i32.load8_u (local.get $at)) (i32.const 0x47)))))))
    (if (i32.le_u (i32.add (local.get $i) (i32.const 3)) (local.get $end))
      (then
        (if (i32.eq (i32.load16_u align=1 (i32.add (local.get $i) (i32.const 1))) (i32.const 0x475b))
          (then (return (i32.const 3))))))
    (i32.const 0))

  ;; gh's layout (`gh run view --log`): where the line at $i goes on past its job and step columns, just after its
  ;; second tab, or $i when it has fewer than two before its LF. Whether those are gh's columns (and the same as the
  ;; line before's) is the reader's to check (LineGate.skip): a line it cannot check is read.
  (func $columns (param $i i32) (param $end i32) (result i32)
    (local $j i32) (local $b i32) (local $tabs i32)
    (local.set $j (local.get $i))
    (block $found
      (loop $scan
        (br_if $found (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $b (i32.load8_u (local.get $j)))
        (br_if $found (i32.eq (local.get $b) (i32.const 10)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (if (i32.eq (local.get $b) (i32.const 9))
          (then
            (if (local.get $tabs) (then (return (local.get $j))))
            (local.set $tabs (i32.const 1))))
        (br $scan)))
    (local.get $i))

  ;; One i32 per line of [$i, $end) at $out (see the memory layout); returns how many it wrote. $endColumn is
  ;; the offset of each row's end column (see byte-dfa.ts): read where a line or a `\r` segment ends, it is the
  ;; HIT row when the text may match with nothing after it (a trailing word boundary).
  (func (export "flag")
    (param $i i32) (param $end i32) (param $out i32) (param $classes i32)
    (param $anyStart i32) (param $anyHit i32) (param $atStart i32) (param $atHit i32) (param $dead i32)
    (param $endColumn i32) (param $gh i32)
    (result i32)
    (local $b i32) (local $c i32) (local $u i32) (local $a i32) (local $start i32) (local $o i32) (local $e i32)
    (local.set $start (local.get $i))
    (local.set $o (local.get $out))
    (local.set $u (local.get $anyStart))
    (local.set $a (local.get $atStart))
    (if (local.get $gh) (then (local.set $i (call $columns (local.get $i) (local.get $end)))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (block $hit
          (local.set $b (i32.load8_u (local.get $i)))
          (local.set $c (i32.load (i32.add (local.get $classes) (i32.shl (local.get $b) (i32.const 2)))))
          (if (i32.lt_s (local.get $c) (i32.const 0))
            (then
              (if (i32.or (i32.eq (local.get $b) (i32.const 10)) (i32.eq (local.get $b) (i32.const 13)))
                (then
                  (br_if $hit
                    (i32.or
                      (i32.eq (i32.load (i32.add (local.get $u) (local.get $endColumn))) (local.get $anyHit))
                      (i32.eq (i32.load (i32.add (local.get $a) (local.get $endColumn))) (local.get $atHit))))
                  (if (i32.eq (local.get $b) (i32.const 10))
                    (then
                      (i32.store (local.get $o) (i32.sub (local.get $i) (local.get $start)))
                      (local.set $o (i32.add (local.get $o) (i32.const 4)))))
                  (local.set $u (local.get $anyStart))
                  (local.set $a (local.get $atStart))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  ;; In gh's layout a line's text starts past its columns.
                  (if (local.get $gh)
                    (then
                      (if (i32.eq (local.get $b) (i32.const 10))
                        (then (local.set $i (call $columns (local.get $i) (local.get $end)))))))
                  (br $next)))
              (if (i32.eq (local.get $b) (i32.const 27))
                (then
                  ;; `ESC[1G` (or `ESC[G`, `ESC[0G`, `ESC[01G`) sends the cursor to the first column: a segment ends, as
                  ;; at a CR.
                  (local.set $e (call $columnOne (local.get $i) (local.get $end)))
                  (if (local.get $e)
                    (then
                      (br_if $hit
                        (i32.or
                          (i32.eq (i32.load (i32.add (local.get $u) (local.get $endColumn))) (local.get $anyHit))
                          (i32.eq (i32.load (i32.add (local.get $a) (local.get $endColumn))) (local.get $atHit))))
                      (local.set $u (local.get $anyStart))
                      (local.set $a (local.get $atStart))
                      (local.set $i (i32.add (local.get $i) (local.get $e)))
                      (br $next)))
                  (local.set $i (call $escapeSkip (local.get $i) (local.get $end)))
                  (br $next)))
              (local.set $e (call $remnantEnd (local.get $i) (local.get $end)))
              (if (i32.ge_s (local.get $e) (i32.const 0))
                (then
                  (local.set $i (local.get $e))
                  (br $next)))
              (local.set $c (i32.and (local.get $c) (i32.const 0x7fffffff)))))
          (local.set $u (i32.load (i32.add (local.get $u) (local.get $c))))
          (if (i32.ne (local.get $a) (local.get $dead))
            (then (local.set $a (i32.load (i32.add (local.get $a) (local.get $c))))))
          (br_if $hit (i32.or (i32.eq (local.get $u) (local.get $anyHit)) (i32.eq (local.get $a) (local.get $atHit))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          ;; Once the anchored automaton is dead (a few bytes into most lines) the rest of the line steps one
          ;; automaton: a tighter loop, left for the outer one at a byte it handles itself (LF, CR, ESC, `[`).
          (br_if $next (i32.ne (local.get $a) (local.get $dead)))
          (block $slow
            (loop $fast
              (br_if $slow (i32.ge_u (local.get $i) (local.get $end)))
              (local.set $c (i32.load (i32.add (local.get $classes) (i32.shl (i32.load8_u (local.get $i)) (i32.const 2)))))
              (br_if $slow (i32.lt_s (local.get $c) (i32.const 0)))
              (local.set $u (i32.load (i32.add (local.get $u) (local.get $c))))
              (br_if $hit (i32.eq (local.get $u) (local.get $anyHit)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $fast)))
          (br $next))
        ;; A hit: the line is named, and the rest of it is not read.
        (block $eol
          (loop $rest
            (br_if $eol (i32.ge_u (local.get $i) (local.get $end)))
            (br_if $eol (i32.eq (i32.load8_u (local.get $i)) (i32.const 10)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rest)))
        (i32.store (local.get $o) (i32.or (i32.sub (local.get $i) (local.get $start)) (i32.const 0x80000000)))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (local.get $gh) (then (local.set $i (call $columns (local.get $i) (local.get $end)))))
        (local.set $u (local.get $anyStart))
        (local.set $a (local.get $atStart))
        (br $next)))
    (i32.shr_u (i32.sub (local.get $o) (local.get $out)) (i32.const 2))))
