/** Messages of a definition registry: versions and effective windows of the documents it loads. */
import { defineCatalogue } from "../catalogue.js";

export const registryMessages = defineCatalogue(
  "registry",
  {
    duplicateVersion: '"{id}" version {version} is already loaded with different content; give the change a new version number',
    invalidWindow: "effective.from must be before effective.to",
  },
  {
    duplicateVersion: '"{id}" 的版本 {version} 已加载，但内容不同；请为修改设置新的版本号',
    invalidWindow: "生效期的 effective.from 必须早于 effective.to",
  },
);
