// The one jieba segmenter of the process, with its dictionary (about 56 MB): shared by place finding and
// tokenizing, so the dictionary is loaded once.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

export const jieba = Jieba.withDict(dict);
