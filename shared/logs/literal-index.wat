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
;; - the shape table of `intern`: a hash and a length per slot, then each slot's line.
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
  (func $sameShape (export "sameShape") (param $a i32) (param $b i32) (param $n i32) (result i32)
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

  ;; Interns the digit shape of the $n bytes at $line in a table of $mask + 1 slots: each slot holds a hash and a
  ;; length (two i32 at $meta + slot × 8) and a line's bytes (at $store + slot × $width). A line hashes by its
  ;; shape (every digit as 0, but the 0 of a `0x` as a byte no digit maps to), goes to the slot its hash names,
  ;; and finds its shape there when the hash, the length and `sameShape` agree. Returns the slot; when the shape
  ;; was not there, the line takes the slot over and the top bit is set.
  (func (export "intern")
    (param $line i32) (param $n i32) (param $meta i32) (param $store i32) (param $width i32) (param $mask i32)
    (result i32)
    (local $i i32) (local $b i32) (local $hash i32) (local $slot i32) (local $m i32) (local $at i32)
    (local.set $hash (i32.const -2128831035))
    (block $hashed
      (loop $byte
        (br_if $hashed (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $b (i32.load8_u (i32.add (local.get $line) (local.get $i))))
        (if (i32.le_u (i32.sub (local.get $b) (i32.const 48)) (i32.const 9))
          (then
            (local.set $b (i32.const 48))
            (if (i32.eq (i32.load8_u (i32.add (local.get $line) (local.get $i))) (i32.const 48))
              (then
                (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $n))
                  (then
                    (if (i32.eq
                          (i32.or (i32.load8_u offset=1 (i32.add (local.get $line) (local.get $i))) (i32.const 32))
                          (i32.const 120))
                      (then (local.set $b (i32.const 256))))))))))
        (local.set $hash (i32.mul (i32.xor (local.get $hash) (local.get $b)) (i32.const 16777619)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $byte)))
    (local.set $slot (i32.and (i32.xor (local.get $hash) (i32.shr_u (local.get $hash) (i32.const 15))) (local.get $mask)))
    (local.set $m (i32.add (local.get $meta) (i32.shl (local.get $slot) (i32.const 3))))
    (local.set $at (i32.add (local.get $store) (i32.mul (local.get $slot) (local.get $width))))
    (if (i32.and (i32.eq (i32.load (local.get $m)) (local.get $hash)) (i32.eq (i32.load offset=4 (local.get $m)) (local.get $n)))
      (then
        (if (call $sameShape (local.get $line) (local.get $at) (local.get $n))
          (then (return (local.get $slot))))))
    (i32.store (local.get $m) (local.get $hash))
    (i32.store offset=4 (local.get $m) (local.get $n))
    (local.set $i (i32.const 0))
    (block $copied
      (loop $copy
        (br_if $copied (i32.ge_u (local.get $i) (local.get $n)))
        (i64.store (i32.add (local.get $at) (local.get $i)) (i64.load (i32.add (local.get $line) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $copy)))
    (i32.or (local.get $slot) (i32.const 0x80000000)))
)
