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
;; - the input bytes.
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
)
