" .rel files are Rel.
autocmd BufRead,BufNewFile *.rel setfiletype rel
