" Rel: highlighting where no language server runs (the server's semantic
" tokens, from the grammar itself, take over when it does).
if exists('b:current_syntax') | finish | endif
syntax keyword relStatement source state person org bloc role visit meeting call elected reelected agreement summit ladder level trade statement include assert claim complete member relations event dated figure target
syntax keyword relKeyword published url of to since until aka between yoy about via on downgrade succeeded_by iso established severed suspended restored kind mode reason invited_by at as capacity host with status during topics in by involving from
syntax keyword relQuery visits meetings calls events timeline history statements actors roles sources claims agreements ladders members memberships figures targets count first last sort limit reverse desc asc
syntax match relDate /\<\d\{4}\(-\d\d\)\{0,2}\(\.\.\(\d\{2,4}\(-\d\d\)\{0,2}\)\?\)\?/
syntax match relNumber /[~<>]\?\<\d\+\(\.\d\+\)\?\(tn\|bn\|m\|k\|%\)\?\>/
syntax region relString start=/"/ skip=/\\./ end=/"/
syntax match relComment /#.*$/
syntax match relPair /\<\w\+\~\w\+\>/
highlight default link relStatement Statement
highlight default link relKeyword Keyword
highlight default link relQuery Function
highlight default link relDate Number
highlight default link relNumber Number
highlight default link relString String
highlight default link relComment Comment
highlight default link relPair Identifier
let b:current_syntax = 'rel'
