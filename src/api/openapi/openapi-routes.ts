import path from 'node:path';
import express, { type Router } from 'express';
import { openApiDocument } from './document';
import { docsPath, documentPath } from './reference-operations';

/** Swagger UI's files from its npm package: the page loads nothing from anywhere but this server. */
const swaggerUiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const assetsPath = `${docsPath}/assets`;
const assets = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'];

// In a file of its own rather than inline, so a Content-Security-Policy without 'unsafe-inline' can serve it.
const initScript = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(documentPath)},
  dom_id: '#reference',
  // Swagger UI's default sends the document to an online validator and shows its badge.
  validatorUrl: null,
  deepLinking: true,
  docExpansion: 'list',
});
`;

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Communication service API reference</title>
<link rel="icon" type="image/png" href="${assetsPath}/favicon-32x32.png">
<link rel="stylesheet" href="${assetsPath}/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="${assetsPath}/swagger-ui-bundle.js"></script>
<script src="${assetsPath}/init.js"></script>
</body>
</html>
`;

/** `GET /openapi.json` and the reference page at `/docs`, without credentials. */
export function openApiRoutes(): Router {
  const router = express.Router();
  router.get(documentPath, (_req, res) => {
    res.json(openApiDocument());
  });
  router.get(docsPath, (_req, res) => {
    res.type('html').send(page);
  });
  router.use(assetsPath, (req, res, next) => {
    const name = req.path.slice(1);
    if (name === 'init.js') {
      res.type('js').send(initScript);
      return;
    }
    if (!assets.includes(name)) return next();
    res.sendFile(path.join(swaggerUiDir, name), { maxAge: '1h' });
  });
  return router;
}
