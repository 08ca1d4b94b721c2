;; The literal index's pass over one line's UTF-8 bytes (see literal-index.ts, whose `scanInJs` is the same loop in
;; JavaScript and the reference the tests compare this one with). Compiled by `npm run build:line-filter` into
;; line-filter.generated.ts; a unit test recompiles it and checks the generated file is current.
;;
;; Memory, laid out by the caller:
;; - a class map, one i32 per byte value: the byte's class times 4 (an offset into a row);
;; - the marks of the line being scanned, one bit per expression;
;; - the Aho–Corasick transition table, each entry the absolute address of the next state's row, the states with
;;   marks last (a row address at or past $marking has marks);
;; - the marks table: a marking state's marks sit at $marks + (its row address - $marking);
;; - the input bytes;
;; - the bytes of the line pinned for digit-shape comparisons (see `sameShape`).
(module
  (memory (export "memory") 1)

  ;; Runs the automaton over [$i, $end) from the row at $row and ORs the marks of every marking state it enters
  ;; into the $bytes bytes at $bits; returns the row it ends in (a long line is scanned in pieces).
  (func (export "scan")
    (param $i i32) (param $end i32) (param $row i32) (param $classes i32) (param $marking i32) (param $marks i32)
    (param $bits i32) (param $bytes i32)
    (result i32)
    (local $m i32) (local $w i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $row
          (i32.load
            (i32.add
              (local.get $row)
              (i32.load (i32.add (local.get $classes) (i32.shl (i32.load8_u (local.get $i)) (i32.const 2)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $row) (local.get $marking)))
        (local.set $m (i32.add (local.get $marks) (i32.sub (local.get $row) (local.get $marking))))
        (local.set $w (i32.const 0))
        (loop $or
          (i32.store
            (i32.add (local.get $bits) (local.get $w))
            (i32.or
              (i32.load (i32.add (local.get $bits) (local.get $w)))
              (i32.load (i32.add (local.get $m) (local.get $w)))))
          (local.set $w (i32.add (local.get $w) (i32.const 4)))
          (br_if $or (i32.lt_u (local.get $w) (local.get $bytes))))
        (br $next)))
    (local.get $row))

  ;; 1 when the $n bytes at $a and $b are equal but for digits, a digit against a digit, where neither is the 0 of
  ;; a `0x` in $a's line; else 0. The UTF-8 form of shape.wat's comparison (fingerprint.ts's `sameShape`): ASCII
  ;; digits are single bytes in UTF-8 and no other character's bytes are digits. Equal stretches go eight bytes
  ;; at a time.
  (func (export "sameShape") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $end i32) (local $ca i32) (local $cb i32) (local $next i32)
    (local.set $end (i32.add (local.get $a) (local.get $n)))
    (block $no
      (loop $byte
        (if (i32.le_u (i32.add (local.get $a) (i32.const 8)) (local.get $end))
          (then
            (if (i64.eq (i64.load (local.get $a)) (i64.load (local.get $b)))
              (then
                (local.set $a (i32.add (local.get $a) (i32.const 8)))
                (local.set $b (i32.add (local.get $b) (i32.const 8)))
                (br $byte)))))
        (if (i32.ge_u (local.get $a) (local.get $end)) (then (return (i32.const 1))))
        (local.set $ca (i32.load8_u (local.get $a)))
        (local.set $cb (i32.load8_u (local.get $b)))
        (if (i32.ne (local.get $ca) (local.get $cb))
          (then
            (br_if $no (i32.gt_u (i32.sub (local.get $ca) (i32.const 48)) (i32.const 9)))
            (br_if $no (i32.gt_u (i32.sub (local.get $cb) (i32.const 48)) (i32.const 9)))
            (if (i32.and
                  (i32.or (i32.eq (local.get $ca) (i32.const 48)) (i32.eq (local.get $cb) (i32.const 48)))
                  (i32.lt_u (i32.add (local.get $a) (i32.const 1)) (local.get $end)))
              (then
                (local.set $next (i32.load8_u offset=1 (local.get $a)))
                (br_if $no (i32.or (i32.eq (local.get $next) (i32.const 120)) (i32.eq (local.get $next) (i32.const 88))))))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $byte)))
    (i32.const 0))
)
