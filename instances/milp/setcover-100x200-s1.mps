NAME setcover-100x200-s1
ROWS
 N  cost
 G  c0
 G  c1
 G  c2
 G  c3
 G  c4
 G  c5
 G  c6
 G  c7
 G  c8
 G  c9
 G  c10
 G  c11
 G  c12
 G  c13
 G  c14
 G  c15
 G  c16
 G  c17
 G  c18
 G  c19
 G  c20
 G  c21
 G  c22
 G  c23
 G  c24
 G  c25
 G  c26
 G  c27
 G  c28
 G  c29
 G  c30
 G  c31
 G  c32
 G  c33
 G  c34
 G  c35
 G  c36
 G  c37
 G  c38
 G  c39
 G  c40
 G  c41
 G  c42
 G  c43
 G  c44
 G  c45
 G  c46
 G  c47
 G  c48
 G  c49
 G  c50
 G  c51
 G  c52
 G  c53
 G  c54
 G  c55
 G  c56
 G  c57
 G  c58
 G  c59
 G  c60
 G  c61
 G  c62
 G  c63
 G  c64
 G  c65
 G  c66
 G  c67
 G  c68
 G  c69
 G  c70
 G  c71
 G  c72
 G  c73
 G  c74
 G  c75
 G  c76
 G  c77
 G  c78
 G  c79
 G  c80
 G  c81
 G  c82
 G  c83
 G  c84
 G  c85
 G  c86
 G  c87
 G  c88
 G  c89
 G  c90
 G  c91
 G  c92
 G  c93
 G  c94
 G  c95
 G  c96
 G  c97
 G  c98
 G  c99
COLUMNS
    MARKER0 'MARKER' 'INTORG'
    x0 cost 43
    x0 c52 1
    x0 c54 1
    x0 c74 1
    x1 cost 42
    x1 c0 1
    x1 c20 1
    x1 c22 1
    x1 c26 1
    x1 c29 1
    x1 c40 1
    x1 c92 1
    x2 cost 88
    x2 c7 1
    x2 c62 1
    x2 c98 1
    x3 cost 76
    x3 c8 1
    x3 c17 1
    x3 c48 1
    x3 c74 1
    x3 c80 1
    x4 cost 86
    x4 c21 1
    x4 c31 1
    x4 c74 1
    x4 c88 1
    x5 cost 27
    x5 c29 1
    x5 c59 1
    x5 c82 1
    x6 cost 54
    x6 c19 1
    x6 c38 1
    x6 c45 1
    x6 c78 1
    x6 c93 1
    x7 cost 30
    x7 c1 1
    x7 c6 1
    x7 c10 1
    x7 c17 1
    x7 c21 1
    x7 c24 1
    x7 c85 1
    x7 c87 1
    x8 cost 91
    x8 c19 1
    x8 c30 1
    x8 c53 1
    x8 c74 1
    x8 c83 1
    x8 c95 1
    x9 cost 85
    x9 c8 1
    x9 c28 1
    x9 c30 1
    x9 c72 1
    x9 c91 1
    x10 cost 15
    x10 c0 1
    x10 c29 1
    x10 c42 1
    x10 c45 1
    x10 c74 1
    x10 c83 1
    x10 c88 1
    x10 c91 1
    x10 c96 1
    x11 cost 72
    x11 c10 1
    x11 c52 1
    x11 c62 1
    x11 c69 1
    x11 c71 1
    x11 c74 1
    x12 cost 18
    x12 c13 1
    x12 c22 1
    x12 c49 1
    x12 c61 1
    x13 cost 46
    x13 c5 1
    x13 c7 1
    x13 c26 1
    x13 c27 1
    x13 c46 1
    x13 c54 1
    x13 c74 1
    x13 c90 1
    x14 cost 91
    x14 c6 1
    x14 c11 1
    x14 c50 1
    x14 c61 1
    x14 c71 1
    x14 c99 1
    x15 cost 75
    x15 c5 1
    x15 c8 1
    x15 c12 1
    x15 c15 1
    x16 cost 84
    x16 c4 1
    x16 c31 1
    x16 c40 1
    x16 c67 1
    x16 c93 1
    x16 c97 1
    x17 cost 56
    x17 c49 1
    x17 c87 1
    x17 c97 1
    x18 cost 46
    x18 c8 1
    x18 c17 1
    x18 c32 1
    x18 c79 1
    x18 c81 1
    x19 cost 87
    x19 c27 1
    x19 c70 1
    x19 c73 1
    x19 c93 1
    x20 cost 73
    x20 c2 1
    x20 c19 1
    x20 c37 1
    x20 c41 1
    x21 cost 75
    x21 c48 1
    x21 c49 1
    x21 c51 1
    x21 c64 1
    x21 c86 1
    x21 c88 1
    x22 cost 54
    x22 c94 1
    x23 cost 34
    x23 c17 1
    x23 c19 1
    x23 c45 1
    x23 c48 1
    x23 c57 1
    x23 c97 1
    x24 cost 25
    x24 c28 1
    x24 c74 1
    x24 c83 1
    x25 cost 83
    x25 c4 1
    x25 c9 1
    x25 c61 1
    x25 c86 1
    x26 cost 98
    x26 c34 1
    x26 c41 1
    x26 c57 1
    x26 c59 1
    x26 c61 1
    x26 c83 1
    x26 c97 1
    x27 cost 70
    x27 c26 1
    x27 c44 1
    x27 c57 1
    x27 c70 1
    x27 c84 1
    x27 c91 1
    x28 cost 18
    x28 c32 1
    x28 c35 1
    x28 c38 1
    x28 c44 1
    x28 c61 1
    x28 c79 1
    x29 cost 97
    x29 c45 1
    x29 c82 1
    x29 c93 1
    x30 cost 52
    x30 c32 1
    x30 c37 1
    x30 c45 1
    x30 c48 1
    x31 cost 94
    x31 c19 1
    x31 c28 1
    x31 c32 1
    x31 c50 1
    x31 c85 1
    x31 c97 1
    x32 cost 11
    x32 c3 1
    x32 c36 1
    x32 c43 1
    x32 c49 1
    x32 c98 1
    x33 cost 14
    x33 c28 1
    x33 c80 1
    x33 c94 1
    x33 c99 1
    x34 cost 26
    x34 c41 1
    x34 c46 1
    x34 c71 1
    x34 c91 1
    x34 c93 1
    x35 cost 60
    x35 c26 1
    x35 c46 1
    x35 c63 1
    x35 c77 1
    x35 c79 1
    x35 c91 1
    x36 cost 41
    x36 c8 1
    x36 c58 1
    x36 c78 1
    x37 cost 4
    x37 c0 1
    x37 c32 1
    x37 c36 1
    x37 c46 1
    x37 c76 1
    x37 c77 1
    x37 c94 1
    x38 cost 94
    x38 c8 1
    x38 c25 1
    x38 c52 1
    x38 c59 1
    x39 cost 81
    x39 c13 1
    x39 c38 1
    x39 c39 1
    x39 c49 1
    x40 cost 44
    x40 c2 1
    x40 c6 1
    x40 c17 1
    x40 c20 1
    x40 c34 1
    x40 c43 1
    x40 c53 1
    x40 c56 1
    x40 c65 1
    x40 c68 1
    x41 cost 94
    x41 c15 1
    x41 c34 1
    x42 cost 9
    x42 c16 1
    x42 c20 1
    x42 c66 1
    x42 c95 1
    x42 c97 1
    x43 cost 43
    x43 c16 1
    x43 c33 1
    x43 c48 1
    x43 c62 1
    x43 c86 1
    x44 cost 92
    x44 c16 1
    x44 c40 1
    x44 c41 1
    x44 c63 1
    x45 cost 3
    x45 c32 1
    x45 c35 1
    x45 c39 1
    x45 c47 1
    x45 c53 1
    x45 c67 1
    x46 cost 30
    x46 c44 1
    x46 c49 1
    x46 c54 1
    x46 c93 1
    x47 cost 10
    x47 c1 1
    x47 c11 1
    x47 c30 1
    x47 c47 1
    x48 cost 33
    x48 c15 1
    x48 c28 1
    x48 c74 1
    x48 c79 1
    x49 cost 99
    x49 c4 1
    x49 c43 1
    x49 c56 1
    x49 c65 1
    x50 cost 37
    x50 c8 1
    x50 c25 1
    x50 c82 1
    x51 cost 8
    x51 c10 1
    x51 c18 1
    x51 c20 1
    x51 c53 1
    x51 c69 1
    x51 c94 1
    x52 cost 53
    x52 c11 1
    x52 c22 1
    x52 c27 1
    x52 c32 1
    x52 c50 1
    x52 c57 1
    x52 c88 1
    x53 cost 2
    x53 c48 1
    x53 c52 1
    x53 c97 1
    x54 cost 9
    x54 c1 1
    x54 c4 1
    x54 c39 1
    x54 c43 1
    x54 c56 1
    x54 c61 1
    x54 c81 1
    x54 c90 1
    x54 c91 1
    x54 c94 1
    x54 c96 1
    x54 c98 1
    x55 cost 64
    x55 c4 1
    x55 c26 1
    x55 c47 1
    x55 c69 1
    x56 cost 63
    x56 c14 1
    x56 c16 1
    x56 c21 1
    x56 c34 1
    x56 c53 1
    x56 c96 1
    x57 cost 89
    x57 c8 1
    x57 c18 1
    x57 c20 1
    x57 c27 1
    x57 c80 1
    x57 c95 1
    x58 cost 38
    x58 c6 1
    x58 c12 1
    x58 c13 1
    x58 c20 1
    x58 c39 1
    x58 c50 1
    x58 c84 1
    x58 c96 1
    x59 cost 37
    x59 c10 1
    x59 c23 1
    x59 c50 1
    x59 c57 1
    x59 c69 1
    x59 c89 1
    x59 c99 1
    x60 cost 28
    x60 c2 1
    x60 c6 1
    x60 c15 1
    x60 c49 1
    x60 c94 1
    x61 cost 90
    x61 c3 1
    x61 c17 1
    x61 c20 1
    x61 c22 1
    x61 c66 1
    x61 c72 1
    x61 c86 1
    x61 c88 1
    x61 c99 1
    x62 cost 37
    x62 c4 1
    x62 c21 1
    x62 c24 1
    x62 c33 1
    x62 c42 1
    x62 c98 1
    x63 cost 18
    x63 c32 1
    x63 c45 1
    x63 c60 1
    x63 c69 1
    x64 cost 79
    x64 c25 1
    x64 c58 1
    x64 c90 1
    x65 cost 35
    x65 c10 1
    x65 c38 1
    x65 c60 1
    x65 c73 1
    x66 cost 17
    x66 c8 1
    x66 c17 1
    x66 c18 1
    x66 c47 1
    x66 c68 1
    x67 cost 42
    x67 c7 1
    x67 c13 1
    x67 c17 1
    x67 c49 1
    x67 c57 1
    x67 c70 1
    x67 c74 1
    x68 cost 35
    x68 c9 1
    x68 c18 1
    x68 c19 1
    x68 c30 1
    x68 c53 1
    x68 c60 1
    x68 c88 1
    x69 cost 57
    x69 c21 1
    x69 c31 1
    x69 c52 1
    x69 c73 1
    x70 cost 77
    x70 c52 1
    x70 c83 1
    x70 c89 1
    x71 cost 68
    x71 c70 1
    x71 c79 1
    x72 cost 40
    x72 c21 1
    x72 c22 1
    x72 c64 1
    x72 c66 1
    x72 c75 1
    x72 c89 1
    x72 c97 1
    x73 cost 13
    x73 c4 1
    x73 c21 1
    x73 c22 1
    x73 c25 1
    x73 c67 1
    x73 c78 1
    x73 c81 1
    x74 cost 14
    x74 c10 1
    x74 c41 1
    x74 c62 1
    x74 c67 1
    x74 c76 1
    x75 cost 97
    x75 c25 1
    x75 c95 1
    x76 cost 15
    x76 c64 1
    x76 c68 1
    x76 c76 1
    x76 c98 1
    x77 cost 57
    x77 c11 1
    x77 c12 1
    x77 c25 1
    x77 c95 1
    x78 cost 45
    x78 c13 1
    x78 c15 1
    x78 c23 1
    x78 c32 1
    x78 c34 1
    x78 c37 1
    x78 c39 1
    x78 c40 1
    x78 c68 1
    x78 c71 1
    x78 c90 1
    x79 cost 56
    x79 c53 1
    x79 c54 1
    x79 c63 1
    x80 cost 24
    x80 c25 1
    x80 c39 1
    x80 c53 1
    x80 c54 1
    x80 c55 1
    x80 c81 1
    x81 cost 94
    x81 c2 1
    x81 c7 1
    x81 c40 1
    x81 c52 1
    x81 c67 1
    x81 c80 1
    x82 cost 24
    x82 c4 1
    x82 c9 1
    x82 c87 1
    x82 c91 1
    x83 cost 86
    x83 c9 1
    x83 c41 1
    x83 c48 1
    x83 c58 1
    x83 c66 1
    x84 cost 56
    x84 c0 1
    x84 c15 1
    x84 c43 1
    x85 cost 55
    x85 c7 1
    x85 c31 1
    x85 c67 1
    x85 c89 1
    x86 cost 78
    x86 c2 1
    x86 c26 1
    x86 c36 1
    x86 c57 1
    x86 c65 1
    x86 c67 1
    x87 cost 58
    x87 c11 1
    x87 c31 1
    x87 c37 1
    x87 c77 1
    x88 cost 76
    x88 c49 1
    x88 c66 1
    x88 c90 1
    x88 c99 1
    x89 cost 46
    x89 c30 1
    x89 c47 1
    x89 c73 1
    x89 c84 1
    x90 cost 94
    x90 c37 1
    x90 c42 1
    x90 c76 1
    x90 c92 1
    x91 cost 61
    x91 c26 1
    x91 c56 1
    x91 c63 1
    x91 c73 1
    x91 c92 1
    x92 cost 43
    x92 c6 1
    x92 c8 1
    x92 c24 1
    x92 c44 1
    x92 c49 1
    x92 c84 1
    x92 c87 1
    x93 cost 19
    x93 c33 1
    x93 c45 1
    x94 cost 82
    x94 c1 1
    x94 c24 1
    x94 c72 1
    x94 c76 1
    x95 cost 74
    x95 c9 1
    x95 c44 1
    x95 c62 1
    x95 c81 1
    x96 cost 56
    x96 c4 1
    x96 c16 1
    x96 c92 1
    x96 c98 1
    x97 cost 38
    x97 c0 1
    x97 c12 1
    x97 c16 1
    x97 c28 1
    x97 c52 1
    x97 c72 1
    x97 c97 1
    x98 cost 17
    x98 c23 1
    x98 c25 1
    x98 c28 1
    x98 c67 1
    x98 c79 1
    x98 c96 1
    x99 cost 83
    x99 c7 1
    x99 c22 1
    x99 c36 1
    x100 cost 90
    x100 c33 1
    x100 c59 1
    x100 c64 1
    x101 cost 4
    x101 c30 1
    x101 c33 1
    x101 c51 1
    x101 c57 1
    x101 c84 1
    x102 cost 49
    x102 c7 1
    x102 c60 1
    x102 c97 1
    x103 cost 34
    x103 c5 1
    x103 c55 1
    x103 c56 1
    x103 c69 1
    x103 c70 1
    x103 c93 1
    x104 cost 56
    x104 c35 1
    x104 c71 1
    x104 c79 1
    x104 c86 1
    x105 cost 86
    x105 c0 1
    x105 c34 1
    x105 c45 1
    x105 c52 1
    x105 c53 1
    x106 cost 80
    x106 c2 1
    x106 c19 1
    x106 c33 1
    x106 c35 1
    x106 c50 1
    x106 c59 1
    x106 c76 1
    x106 c88 1
    x107 cost 76
    x107 c11 1
    x107 c49 1
    x107 c64 1
    x107 c70 1
    x107 c80 1
    x107 c90 1
    x107 c92 1
    x107 c94 1
    x108 cost 54
    x108 c46 1
    x108 c56 1
    x108 c91 1
    x108 c99 1
    x109 cost 43
    x109 c6 1
    x109 c21 1
    x109 c32 1
    x109 c36 1
    x109 c39 1
    x109 c42 1
    x109 c68 1
    x109 c99 1
    x110 cost 58
    x110 c1 1
    x110 c7 1
    x110 c10 1
    x110 c31 1
    x110 c43 1
    x110 c75 1
    x110 c85 1
    x110 c91 1
    x110 c92 1
    x111 cost 27
    x111 c88 1
    x111 c89 1
    x112 cost 24
    x112 c2 1
    x112 c26 1
    x112 c29 1
    x112 c49 1
    x112 c56 1
    x112 c98 1
    x113 cost 56
    x113 c10 1
    x113 c41 1
    x113 c73 1
    x113 c78 1
    x114 cost 28
    x114 c23 1
    x114 c30 1
    x114 c68 1
    x114 c78 1
    x115 cost 23
    x115 c14 1
    x115 c31 1
    x115 c41 1
    x115 c51 1
    x115 c68 1
    x116 cost 23
    x116 c57 1
    x116 c60 1
    x116 c70 1
    x116 c90 1
    x117 cost 76
    x117 c0 1
    x117 c8 1
    x117 c23 1
    x117 c33 1
    x117 c35 1
    x117 c44 1
    x117 c64 1
    x117 c66 1
    x117 c79 1
    x117 c97 1
    x118 cost 9
    x118 c12 1
    x118 c34 1
    x118 c80 1
    x119 cost 30
    x119 c22 1
    x119 c38 1
    x119 c43 1
    x119 c47 1
    x119 c56 1
    x119 c66 1
    x119 c97 1
    x120 cost 34
    x120 c48 1
    x120 c71 1
    x120 c82 1
    x121 cost 37
    x121 c58 1
    x121 c61 1
    x121 c67 1
    x121 c70 1
    x122 cost 92
    x122 c10 1
    x122 c79 1
    x122 c95 1
    x122 c99 1
    x123 cost 32
    x123 c21 1
    x123 c46 1
    x123 c47 1
    x123 c56 1
    x123 c69 1
    x123 c82 1
    x124 cost 50
    x124 c3 1
    x124 c6 1
    x124 c32 1
    x124 c79 1
    x124 c94 1
    x125 cost 11
    x125 c48 1
    x125 c64 1
    x126 cost 3
    x126 c35 1
    x126 c44 1
    x126 c70 1
    x126 c74 1
    x127 cost 98
    x127 c0 1
    x127 c3 1
    x127 c5 1
    x127 c22 1
    x127 c27 1
    x127 c33 1
    x127 c60 1
    x127 c97 1
    x128 cost 51
    x128 c46 1
    x128 c49 1
    x128 c80 1
    x129 cost 43
    x129 c6 1
    x129 c29 1
    x129 c55 1
    x129 c78 1
    x129 c81 1
    x130 cost 2
    x130 c14 1
    x130 c42 1
    x130 c47 1
    x130 c60 1
    x131 cost 66
    x131 c2 1
    x131 c24 1
    x131 c29 1
    x131 c41 1
    x131 c48 1
    x131 c75 1
    x131 c96 1
    x132 cost 94
    x132 c5 1
    x132 c8 1
    x132 c9 1
    x132 c19 1
    x132 c41 1
    x132 c47 1
    x132 c53 1
    x132 c64 1
    x132 c73 1
    x132 c76 1
    x133 cost 71
    x133 c20 1
    x133 c42 1
    x133 c56 1
    x133 c90 1
    x133 c92 1
    x134 cost 14
    x134 c28 1
    x134 c31 1
    x134 c37 1
    x134 c83 1
    x135 cost 97
    x135 c30 1
    x135 c31 1
    x135 c36 1
    x135 c41 1
    x136 cost 86
    x136 c14 1
    x136 c70 1
    x136 c96 1
    x137 cost 13
    x137 c36 1
    x137 c38 1
    x137 c48 1
    x137 c58 1
    x138 cost 58
    x138 c5 1
    x138 c15 1
    x138 c25 1
    x138 c27 1
    x138 c51 1
    x138 c76 1
    x138 c80 1
    x138 c88 1
    x139 cost 34
    x139 c17 1
    x139 c21 1
    x139 c25 1
    x140 cost 32
    x140 c16 1
    x140 c45 1
    x140 c55 1
    x141 cost 31
    x141 c24 1
    x141 c50 1
    x141 c58 1
    x141 c61 1
    x141 c87 1
    x141 c93 1
    x142 cost 65
    x142 c6 1
    x142 c23 1
    x142 c51 1
    x143 cost 54
    x143 c1 1
    x143 c9 1
    x143 c14 1
    x143 c27 1
    x143 c31 1
    x143 c51 1
    x143 c53 1
    x143 c74 1
    x144 cost 89
    x144 c1 1
    x144 c55 1
    x144 c63 1
    x144 c80 1
    x144 c86 1
    x145 cost 63
    x145 c17 1
    x145 c22 1
    x145 c47 1
    x145 c50 1
    x145 c57 1
    x145 c89 1
    x146 cost 86
    x146 c18 1
    x146 c19 1
    x146 c35 1
    x146 c47 1
    x147 cost 49
    x147 c33 1
    x147 c65 1
    x147 c78 1
    x148 cost 7
    x148 c6 1
    x148 c23 1
    x148 c63 1
    x148 c84 1
    x149 cost 17
    x149 c17 1
    x149 c21 1
    x149 c38 1
    x149 c88 1
    x150 cost 35
    x150 c38 1
    x150 c64 1
    x150 c68 1
    x150 c69 1
    x151 cost 7
    x151 c3 1
    x151 c62 1
    x151 c76 1
    x151 c80 1
    x151 c90 1
    x152 cost 11
    x152 c3 1
    x152 c7 1
    x152 c10 1
    x152 c11 1
    x152 c47 1
    x152 c62 1
    x152 c68 1
    x152 c89 1
    x153 cost 41
    x153 c17 1
    x153 c36 1
    x153 c41 1
    x153 c58 1
    x154 cost 52
    x154 c26 1
    x154 c37 1
    x154 c65 1
    x154 c91 1
    x154 c93 1
    x155 cost 64
    x155 c16 1
    x155 c25 1
    x155 c40 1
    x156 cost 91
    x156 c9 1
    x156 c12 1
    x156 c43 1
    x156 c63 1
    x156 c78 1
    x156 c87 1
    x157 cost 43
    x157 c62 1
    x157 c63 1
    x157 c76 1
    x157 c93 1
    x157 c98 1
    x158 cost 80
    x158 c62 1
    x158 c64 1
    x158 c65 1
    x158 c72 1
    x158 c75 1
    x159 cost 36
    x159 c9 1
    x159 c21 1
    x159 c53 1
    x160 cost 40
    x160 c2 1
    x160 c6 1
    x160 c8 1
    x160 c20 1
    x160 c33 1
    x160 c51 1
    x160 c66 1
    x160 c71 1
    x160 c84 1
    x160 c89 1
    x160 c93 1
    x160 c95 1
    x161 cost 54
    x161 c5 1
    x161 c12 1
    x161 c29 1
    x161 c87 1
    x161 c94 1
    x161 c95 1
    x162 cost 2
    x162 c11 1
    x162 c25 1
    x162 c29 1
    x162 c36 1
    x162 c37 1
    x162 c56 1
    x162 c96 1
    x163 cost 60
    x163 c16 1
    x163 c22 1
    x163 c24 1
    x163 c25 1
    x163 c27 1
    x163 c30 1
    x163 c66 1
    x163 c78 1
    x163 c83 1
    x164 cost 71
    x164 c28 1
    x164 c53 1
    x164 c62 1
    x164 c92 1
    x165 cost 59
    x165 c26 1
    x165 c33 1
    x166 cost 99
    x166 c28 1
    x166 c40 1
    x166 c70 1
    x166 c88 1
    x167 cost 62
    x167 c6 1
    x167 c13 1
    x168 cost 11
    x168 c5 1
    x168 c7 1
    x168 c10 1
    x168 c20 1
    x168 c41 1
    x168 c50 1
    x168 c75 1
    x168 c89 1
    x169 cost 69
    x169 c5 1
    x169 c13 1
    x169 c15 1
    x169 c39 1
    x169 c43 1
    x169 c44 1
    x169 c78 1
    x169 c81 1
    x169 c97 1
    x169 c99 1
    x170 cost 39
    x170 c5 1
    x170 c23 1
    x170 c40 1
    x170 c47 1
    x170 c55 1
    x170 c63 1
    x170 c84 1
    x170 c89 1
    x170 c99 1
    x171 cost 71
    x171 c32 1
    x171 c86 1
    x171 c88 1
    x172 cost 46
    x172 c7 1
    x172 c35 1
    x172 c51 1
    x172 c61 1
    x172 c85 1
    x172 c90 1
    x172 c98 1
    x173 cost 82
    x173 c1 1
    x173 c45 1
    x173 c52 1
    x173 c87 1
    x174 cost 95
    x174 c14 1
    x174 c31 1
    x174 c72 1
    x174 c76 1
    x175 cost 98
    x175 c6 1
    x175 c34 1
    x176 cost 24
    x176 c32 1
    x176 c58 1
    x176 c87 1
    x176 c98 1
    x177 cost 93
    x177 c24 1
    x177 c84 1
    x177 c86 1
    x178 cost 7
    x178 c13 1
    x178 c19 1
    x178 c36 1
    x179 cost 58
    x179 c4 1
    x179 c7 1
    x179 c18 1
    x179 c19 1
    x179 c20 1
    x179 c44 1
    x179 c95 1
    x180 cost 26
    x180 c6 1
    x180 c16 1
    x180 c48 1
    x180 c50 1
    x180 c54 1
    x181 cost 49
    x181 c16 1
    x181 c75 1
    x181 c92 1
    x181 c97 1
    x182 cost 84
    x182 c14 1
    x182 c63 1
    x182 c65 1
    x182 c77 1
    x182 c95 1
    x183 cost 11
    x183 c5 1
    x183 c12 1
    x183 c19 1
    x183 c48 1
    x183 c58 1
    x183 c79 1
    x183 c89 1
    x183 c93 1
    x184 cost 53
    x184 c4 1
    x184 c23 1
    x184 c42 1
    x184 c76 1
    x184 c85 1
    x184 c89 1
    x184 c91 1
    x185 cost 48
    x185 c3 1
    x185 c13 1
    x185 c80 1
    x185 c86 1
    x186 cost 87
    x186 c43 1
    x186 c48 1
    x186 c58 1
    x186 c93 1
    x187 cost 45
    x187 c2 1
    x187 c18 1
    x187 c66 1
    x188 cost 49
    x188 c9 1
    x188 c16 1
    x188 c21 1
    x188 c35 1
    x188 c91 1
    x189 cost 73
    x189 c15 1
    x189 c56 1
    x189 c58 1
    x189 c78 1
    x189 c84 1
    x189 c85 1
    x190 cost 90
    x190 c26 1
    x190 c42 1
    x191 cost 66
    x191 c54 1
    x191 c71 1
    x192 cost 39
    x192 c12 1
    x192 c27 1
    x192 c64 1
    x193 cost 73
    x193 c20 1
    x193 c78 1
    x193 c87 1
    x194 cost 22
    x194 c10 1
    x194 c13 1
    x194 c99 1
    x195 cost 61
    x195 c49 1
    x195 c60 1
    x195 c91 1
    x195 c95 1
    x195 c96 1
    x196 cost 66
    x196 c18 1
    x196 c39 1
    x196 c41 1
    x196 c44 1
    x196 c82 1
    x196 c83 1
    x197 cost 78
    x197 c20 1
    x197 c72 1
    x197 c74 1
    x197 c77 1
    x198 cost 18
    x198 c9 1
    x198 c36 1
    x198 c40 1
    x198 c46 1
    x198 c98 1
    x199 cost 10
    x199 c10 1
    x199 c39 1
    x199 c48 1
    x199 c58 1
    x199 c62 1
    x199 c97 1
    MARKER1 'MARKER' 'INTEND'
RHS
    RHS c0 1
    RHS c1 1
    RHS c2 1
    RHS c3 1
    RHS c4 1
    RHS c5 1
    RHS c6 1
    RHS c7 1
    RHS c8 1
    RHS c9 1
    RHS c10 1
    RHS c11 1
    RHS c12 1
    RHS c13 1
    RHS c14 1
    RHS c15 1
    RHS c16 1
    RHS c17 1
    RHS c18 1
    RHS c19 1
    RHS c20 1
    RHS c21 1
    RHS c22 1
    RHS c23 1
    RHS c24 1
    RHS c25 1
    RHS c26 1
    RHS c27 1
    RHS c28 1
    RHS c29 1
    RHS c30 1
    RHS c31 1
    RHS c32 1
    RHS c33 1
    RHS c34 1
    RHS c35 1
    RHS c36 1
    RHS c37 1
    RHS c38 1
    RHS c39 1
    RHS c40 1
    RHS c41 1
    RHS c42 1
    RHS c43 1
    RHS c44 1
    RHS c45 1
    RHS c46 1
    RHS c47 1
    RHS c48 1
    RHS c49 1
    RHS c50 1
    RHS c51 1
    RHS c52 1
    RHS c53 1
    RHS c54 1
    RHS c55 1
    RHS c56 1
    RHS c57 1
    RHS c58 1
    RHS c59 1
    RHS c60 1
    RHS c61 1
    RHS c62 1
    RHS c63 1
    RHS c64 1
    RHS c65 1
    RHS c66 1
    RHS c67 1
    RHS c68 1
    RHS c69 1
    RHS c70 1
    RHS c71 1
    RHS c72 1
    RHS c73 1
    RHS c74 1
    RHS c75 1
    RHS c76 1
    RHS c77 1
    RHS c78 1
    RHS c79 1
    RHS c80 1
    RHS c81 1
    RHS c82 1
    RHS c83 1
    RHS c84 1
    RHS c85 1
    RHS c86 1
    RHS c87 1
    RHS c88 1
    RHS c89 1
    RHS c90 1
    RHS c91 1
    RHS c92 1
    RHS c93 1
    RHS c94 1
    RHS c95 1
    RHS c96 1
    RHS c97 1
    RHS c98 1
    RHS c99 1
BOUNDS
 UP BND x0 1
 UP BND x1 1
 UP BND x2 1
 UP BND x3 1
 UP BND x4 1
 UP BND x5 1
 UP BND x6 1
 UP BND x7 1
 UP BND x8 1
 UP BND x9 1
 UP BND x10 1
 UP BND x11 1
 UP BND x12 1
 UP BND x13 1
 UP BND x14 1
 UP BND x15 1
 UP BND x16 1
 UP BND x17 1
 UP BND x18 1
 UP BND x19 1
 UP BND x20 1
 UP BND x21 1
 UP BND x22 1
 UP BND x23 1
 UP BND x24 1
 UP BND x25 1
 UP BND x26 1
 UP BND x27 1
 UP BND x28 1
 UP BND x29 1
 UP BND x30 1
 UP BND x31 1
 UP BND x32 1
 UP BND x33 1
 UP BND x34 1
 UP BND x35 1
 UP BND x36 1
 UP BND x37 1
 UP BND x38 1
 UP BND x39 1
 UP BND x40 1
 UP BND x41 1
 UP BND x42 1
 UP BND x43 1
 UP BND x44 1
 UP BND x45 1
 UP BND x46 1
 UP BND x47 1
 UP BND x48 1
 UP BND x49 1
 UP BND x50 1
 UP BND x51 1
 UP BND x52 1
 UP BND x53 1
 UP BND x54 1
 UP BND x55 1
 UP BND x56 1
 UP BND x57 1
 UP BND x58 1
 UP BND x59 1
 UP BND x60 1
 UP BND x61 1
 UP BND x62 1
 UP BND x63 1
 UP BND x64 1
 UP BND x65 1
 UP BND x66 1
 UP BND x67 1
 UP BND x68 1
 UP BND x69 1
 UP BND x70 1
 UP BND x71 1
 UP BND x72 1
 UP BND x73 1
 UP BND x74 1
 UP BND x75 1
 UP BND x76 1
 UP BND x77 1
 UP BND x78 1
 UP BND x79 1
 UP BND x80 1
 UP BND x81 1
 UP BND x82 1
 UP BND x83 1
 UP BND x84 1
 UP BND x85 1
 UP BND x86 1
 UP BND x87 1
 UP BND x88 1
 UP BND x89 1
 UP BND x90 1
 UP BND x91 1
 UP BND x92 1
 UP BND x93 1
 UP BND x94 1
 UP BND x95 1
 UP BND x96 1
 UP BND x97 1
 UP BND x98 1
 UP BND x99 1
 UP BND x100 1
 UP BND x101 1
 UP BND x102 1
 UP BND x103 1
 UP BND x104 1
 UP BND x105 1
 UP BND x106 1
 UP BND x107 1
 UP BND x108 1
 UP BND x109 1
 UP BND x110 1
 UP BND x111 1
 UP BND x112 1
 UP BND x113 1
 UP BND x114 1
 UP BND x115 1
 UP BND x116 1
 UP BND x117 1
 UP BND x118 1
 UP BND x119 1
 UP BND x120 1
 UP BND x121 1
 UP BND x122 1
 UP BND x123 1
 UP BND x124 1
 UP BND x125 1
 UP BND x126 1
 UP BND x127 1
 UP BND x128 1
 UP BND x129 1
 UP BND x130 1
 UP BND x131 1
 UP BND x132 1
 UP BND x133 1
 UP BND x134 1
 UP BND x135 1
 UP BND x136 1
 UP BND x137 1
 UP BND x138 1
 UP BND x139 1
 UP BND x140 1
 UP BND x141 1
 UP BND x142 1
 UP BND x143 1
 UP BND x144 1
 UP BND x145 1
 UP BND x146 1
 UP BND x147 1
 UP BND x148 1
 UP BND x149 1
 UP BND x150 1
 UP BND x151 1
 UP BND x152 1
 UP BND x153 1
 UP BND x154 1
 UP BND x155 1
 UP BND x156 1
 UP BND x157 1
 UP BND x158 1
 UP BND x159 1
 UP BND x160 1
 UP BND x161 1
 UP BND x162 1
 UP BND x163 1
 UP BND x164 1
 UP BND x165 1
 UP BND x166 1
 UP BND x167 1
 UP BND x168 1
 UP BND x169 1
 UP BND x170 1
 UP BND x171 1
 UP BND x172 1
 UP BND x173 1
 UP BND x174 1
 UP BND x175 1
 UP BND x176 1
 UP BND x177 1
 UP BND x178 1
 UP BND x179 1
 UP BND x180 1
 UP BND x181 1
 UP BND x182 1
 UP BND x183 1
 UP BND x184 1
 UP BND x185 1
 UP BND x186 1
 UP BND x187 1
 UP BND x188 1
 UP BND x189 1
 UP BND x190 1
 UP BND x191 1
 UP BND x192 1
 UP BND x193 1
 UP BND x194 1
 UP BND x195 1
 UP BND x196 1
 UP BND x197 1
 UP BND x198 1
 UP BND x199 1
ENDATA
