NAME setcover-6x8-s7
ROWS
 N  cost
 G  c0
 G  c1
 G  c2
 G  c3
 G  c4
 G  c5
COLUMNS
    MARKER0 'MARKER' 'INTORG'
    x0 cost 26
    x0 c0 1
    x0 c2 1
    x0 c5 1
    x1 cost 85
    x1 c0 1
    x1 c5 1
    x2 cost 36
    x2 c1 1
    x2 c3 1
    x3 cost 37
    x3 c1 1
    x4 cost 50
    x4 c1 1
    x4 c2 1
    x5 cost 99
    x5 c4 1
    x6 cost 46
    x6 c0 1
    x6 c3 1
    x7 cost 21
    x7 c4 1
    MARKER1 'MARKER' 'INTEND'
RHS
    RHS c0 1
    RHS c1 1
    RHS c2 1
    RHS c3 1
    RHS c4 1
    RHS c5 1
BOUNDS
 UP BND x0 1
 UP BND x1 1
 UP BND x2 1
 UP BND x3 1
 UP BND x4 1
 UP BND x5 1
 UP BND x6 1
 UP BND x7 1
ENDATA
