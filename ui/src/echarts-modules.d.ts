// echarts' entry points re-export their types without file extensions, which NodeNext resolution cannot follow;
// these declarations point the runtime entry points at the typed files.
declare module 'echarts/core' {
  export * from 'echarts/types/dist/core';
}
declare module 'echarts/charts' {
  export * from 'echarts/types/dist/charts';
}
declare module 'echarts/components' {
  export * from 'echarts/types/dist/components';
}
declare module 'echarts/renderers' {
  export * from 'echarts/types/dist/renderers';
}
